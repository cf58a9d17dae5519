package vtgraph

import (
	"context"
	"encoding/base64"
	"errors"
	"iter"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// GetEntityOptions are the query parameters of the entity lookups
// ([Client.GetFile], [Client.GetURL], [Client.GetDomain],
// [Client.GetIPAddress] and [Client.GetEntity]). A nil *GetEntityOptions
// returns the entity without relationships.
type GetEntityOptions struct {
	// Relationships asks for the descriptors of each relationship's first
	// related objects, in [Entity.Relationships]: one request tells which
	// relationships hold anything, and with their first page. A
	// relationship that needs a premium API key fails the whole lookup with
	// a *PremiumError when the key has none.
	Relationships []Relationship
}

// relationshipsParam checks opts and renders the relationships parameter,
// nil when there is none.
func (o *GetEntityOptions) relationshipsParam(p *paramProblems) *string {
	if o == nil || len(o.Relationships) == 0 {
		return nil
	}
	names := make([]string, len(o.Relationships))
	for i, r := range o.Relationships {
		checkRelationship(p, "relationships["+strconv.Itoa(i)+"]", r)
		names[i] = string(r)
	}
	s := strings.Join(names, ",")
	return &s
}

// GetFile returns the file with the given MD5, SHA-1 or SHA-256; VirusTotal
// answers with the file's SHA-256 as its ID whichever hash it is given. The
// error matches [ErrNotFound] when VirusTotal does not know the file.
//
// API: GET /files/{id} (https://docs.virustotal.com/reference/file-info).
func (c *Client) GetFile(ctx context.Context, hash string, opts *GetEntityOptions) (*File, error) {
	var p paramProblems
	checkFileHash(&p, hash)
	rels := opts.relationshipsParam(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	resp, err := c.api.GetFile(ctx, hash, &vtapi.GetFileParams{Relationships: rels})
	return decodeTyped(ctx, resp, err, NodeTypeFile, opts, fileOf)
}

// GetURL returns a URL, given as the URL itself ("https://…", whose id is
// computed with [URLID]), as its URL id, or as the SHA-256 VirusTotal gives
// URL objects as their ID. The error matches [ErrNotFound] when VirusTotal
// does not know the URL.
//
// API: GET /urls/{id} (https://docs.virustotal.com/reference/url-info).
func (c *Client) GetURL(ctx context.Context, url string, opts *GetEntityOptions) (*URL, error) {
	var p paramProblems
	id := urlParam(&p, url)
	rels := opts.relationshipsParam(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	resp, err := c.api.GetUrl(ctx, id, &vtapi.GetUrlParams{Relationships: rels})
	return decodeTyped(ctx, resp, err, NodeTypeURL, opts, urlOf)
}

// GetDomain returns a domain. The error matches [ErrNotFound] when
// VirusTotal does not know the domain.
//
// API: GET /domains/{domain} (https://docs.virustotal.com/reference/domain-info).
func (c *Client) GetDomain(ctx context.Context, domain string, opts *GetEntityOptions) (*Domain, error) {
	var p paramProblems
	checkDomain(&p, domain)
	rels := opts.relationshipsParam(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	resp, err := c.api.GetDomain(ctx, domain, &vtapi.GetDomainParams{Relationships: rels})
	return decodeTyped(ctx, resp, err, NodeTypeDomain, opts, domainOf)
}

// GetIPAddress returns an IPv4 or IPv6 address, sent in its canonical form
// (2001:db8::1, not 2001:0db8:0:0:0:0:0:1). The error matches
// [ErrNotFound] when VirusTotal does not know the address.
//
// API: GET /ip_addresses/{ip} (https://docs.virustotal.com/reference/ip-info).
func (c *Client) GetIPAddress(ctx context.Context, ip string, opts *GetEntityOptions) (*IPAddress, error) {
	var p paramProblems
	addr := ipParam(&p, ip)
	rels := opts.relationshipsParam(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	resp, err := c.api.GetIpAddress(ctx, addr, &vtapi.GetIpAddressParams{Relationships: rels})
	return decodeTyped(ctx, resp, err, NodeTypeIPAddress, opts, ipAddressOf)
}

// GetEntity looks up a file, URL, domain or IP address by reference, as
// GetFile, GetURL, GetDomain and GetIPAddress do, for code that handles the
// four alike, such as code walking a graph's nodes. The typed attributes of
// each type are a call away: [Entity.AsFile] and its siblings.
func (c *Client) GetEntity(ctx context.Context, ref EntityRef, opts *GetEntityOptions) (*Entity, error) {
	switch ref.Type {
	case NodeTypeFile:
		f, err := c.GetFile(ctx, ref.ID, opts)
		return entityOf(f, err)
	case NodeTypeURL:
		u, err := c.GetURL(ctx, ref.ID, opts)
		return entityOf(u, err)
	case NodeTypeDomain:
		d, err := c.GetDomain(ctx, ref.ID, opts)
		return entityOf(d, err)
	case NodeTypeIPAddress:
		ip, err := c.GetIPAddress(ctx, ref.ID, opts)
		return entityOf(ip, err)
	}
	var p paramProblems
	checkEntityType(&p, ref.Type)
	return nil, p.err()
}

// entityOf returns the Entity a typed lookup embeds.
func entityOf[T interface{ base() *Entity }](v T, err error) (*Entity, error) {
	if err != nil {
		return nil, err
	}
	return v.base(), nil
}

func (f *File) base() *Entity       { return &f.Entity }
func (u *URL) base() *Entity        { return &u.Entity }
func (d *Domain) base() *Entity     { return &d.Entity }
func (ip *IPAddress) base() *Entity { return &ip.Entity }

// decodeTyped decodes an entity response into the type typed decodes to,
// reporting an object of another type as a *DecodeError, and a 403 to a
// lookup asking for premium relationships as a *PremiumError.
func decodeTyped[T any](ctx context.Context, resp *http.Response, err error, want NodeType, opts *GetEntityOptions, typed func(*Entity) (T, error)) (T, error) {
	body := dataBody[T]{decode: func(s *jsonScanner) (T, error) {
		var zero T
		start := s.pos
		e, err := scanEntity(s)
		if err != nil {
			return zero, err
		}
		if e.Type != want {
			return zero, &offsetError{offset: int64(start), err: errors.New("the object is a " + strconv.Quote(string(e.Type)) + ", not a " + strconv.Quote(string(want)))}
		}
		v, err := typed(e)
		if err != nil {
			err = &offsetError{offset: int64(start), err: err}
		}
		return v, err
	}}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		var zero T
		if opts != nil {
			for _, r := range opts.Relationships {
				if info, ok := tableRelationship(want, r); ok && info.Premium {
					return zero, premiumError(err, want, r)
				}
			}
		}
		return zero, err
	}
	return body.value, nil
}

// ResolveFileHash returns the SHA-256 of the file an MD5, SHA-1 or SHA-256
// names, in lowercase: a SHA-256 as is, without a request; an MD5 or a
// SHA-1 with one lookup of the file. Graph nodes are keyed by SHA-256, so
// this is how a file known by another hash joins a graph. The error
// matches [ErrNotFound] when VirusTotal does not know the file.
//
// API: GET /files/{id}.
func (c *Client) ResolveFileHash(ctx context.Context, hash string) (string, error) {
	var p paramProblems
	checkFileHash(&p, hash)
	if err := p.err(); err != nil {
		return "", err
	}
	if len(hash) == 64 {
		return strings.ToLower(hash), nil
	}
	f, err := c.GetFile(ctx, hash, nil)
	if err != nil {
		return "", err
	}
	id := f.ID
	if id == "" {
		id = f.SHA256
	}
	return strings.ToLower(id), nil
}

// URLID returns VirusTotal's identifier of a URL: the URL in URL-safe
// base64 without padding, computed locally as VirusTotal's own clients do.
// VirusTotal also accepts the SHA-256 of the URL after canonicalising it,
// the ID it gives URL objects, but its canonicalisation is its own, so that
// one is only known from a response.
func URLID(url string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(url))
}

// ListEntityRelated returns one page of the objects related to a file, URL,
// domain or IP address through rel, with their attributes and context
// attributes, and the cursor of the next page. A relationship that holds at
// most one object ([RelationshipInfo.Single]) gives a page of one item or
// none. rel is one of the relationship constants of ref's type or any other
// name of that form; VirusTotal answers 400 ([ErrInvalidArgument]) to a
// relationship the type does not have, and 403, returned as a
// *PremiumError, to a premium relationship asked for without a premium
// key.
//
// API: GET /{collection}/{id}/{relationship}
// (https://docs.virustotal.com/reference/relationships).
func (c *Client) ListEntityRelated(ctx context.Context, ref EntityRef, rel Relationship, opts *ListOptions) (*Page[*Entity], error) {
	id, o, err := relationshipParams(ref, rel, opts)
	if err != nil {
		return nil, err
	}
	limit, cursor := pageParams(o)
	var resp *http.Response
	switch ref.Type {
	case NodeTypeFile:
		resp, err = c.api.GetFileRelationship(ctx, id, string(rel), &vtapi.GetFileRelationshipParams{Limit: limit, Cursor: cursor})
	case NodeTypeURL:
		resp, err = c.api.GetUrlRelationship(ctx, id, string(rel), &vtapi.GetUrlRelationshipParams{Limit: limit, Cursor: cursor})
	case NodeTypeDomain:
		resp, err = c.api.GetDomainRelationship(ctx, id, string(rel), &vtapi.GetDomainRelationshipParams{Limit: limit, Cursor: cursor})
	default:
		resp, err = c.api.GetIpAddressRelationship(ctx, id, string(rel), &vtapi.GetIpAddressRelationshipParams{Limit: limit, Cursor: cursor})
	}
	body := pageBody[*Entity]{decode: scanListedEntity, single: true}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, relationshipError(err, ref.Type, rel)
	}
	return body.page, nil
}

// ListEntityRelatedIter returns an iterator over every object related to an
// entity through rel, page after page; see [Client.SearchGraphsIter] for
// how iterators behave.
func (c *Client) ListEntityRelatedIter(ctx context.Context, ref EntityRef, rel Relationship, opts *ListOptions, it *IterOptions) iter.Seq2[*Entity, error] {
	return iterate(ctx, listOptions(opts), it, func(ctx context.Context, o ListOptions) (*Page[*Entity], error) {
		return c.ListEntityRelated(ctx, ref, rel, &o)
	})
}

// ListEntityRelatedDescriptors is [Client.ListEntityRelated] returning only
// the type and id of each object, and its context attributes: cheaper when
// the attributes are not needed. Resolutions are listed as resolution
// descriptors; [ResolutionPeer] gives the entity at their other end.
//
// API: GET /{collection}/{id}/relationships/{relationship}.
func (c *Client) ListEntityRelatedDescriptors(ctx context.Context, ref EntityRef, rel Relationship, opts *ListOptions) (*Page[Descriptor], error) {
	id, o, err := relationshipParams(ref, rel, opts)
	if err != nil {
		return nil, err
	}
	limit, cursor := pageParams(o)
	var resp *http.Response
	switch ref.Type {
	case NodeTypeFile:
		resp, err = c.api.GetFileRelationshipDescriptors(ctx, id, string(rel), &vtapi.GetFileRelationshipDescriptorsParams{Limit: limit, Cursor: cursor})
	case NodeTypeURL:
		resp, err = c.api.GetUrlRelationshipDescriptors(ctx, id, string(rel), &vtapi.GetUrlRelationshipDescriptorsParams{Limit: limit, Cursor: cursor})
	case NodeTypeDomain:
		resp, err = c.api.GetDomainRelationshipDescriptors(ctx, id, string(rel), &vtapi.GetDomainRelationshipDescriptorsParams{Limit: limit, Cursor: cursor})
	default:
		resp, err = c.api.GetIpAddressRelationshipDescriptors(ctx, id, string(rel), &vtapi.GetIpAddressRelationshipDescriptorsParams{Limit: limit, Cursor: cursor})
	}
	body := pageBody[Descriptor]{decode: descriptorDecoder, single: true}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, relationshipError(err, ref.Type, rel)
	}
	return body.page, nil
}

// ListEntityRelatedDescriptorsIter returns an iterator over the descriptors
// of every object related to an entity through rel, page after page; see
// [Client.SearchGraphsIter] for how iterators behave.
func (c *Client) ListEntityRelatedDescriptorsIter(ctx context.Context, ref EntityRef, rel Relationship, opts *ListOptions, it *IterOptions) iter.Seq2[Descriptor, error] {
	return iterate(ctx, listOptions(opts), it, func(ctx context.Context, o ListOptions) (*Page[Descriptor], error) {
		return c.ListEntityRelatedDescriptors(ctx, ref, rel, &o)
	})
}

// relationshipParams checks the arguments of a relationship call and
// returns the id to send.
func relationshipParams(ref EntityRef, rel Relationship, opts *ListOptions) (string, ListOptions, error) {
	o := listOptions(opts)
	var p paramProblems
	id := entityIDParam(&p, ref)
	checkRelationship(&p, "relationship", rel)
	o.check(&p)
	return id, o, p.err()
}

// relationshipError turns VirusTotal's 403 to a premium relationship into a
// *PremiumError.
func relationshipError(err error, t NodeType, rel Relationship) error {
	if info, ok := tableRelationship(t, rel); ok && info.Premium {
		return premiumError(err, t, rel)
	}
	return err
}

// entityIDParam checks ref and returns the id to put in its route.
func entityIDParam(p *paramProblems, ref EntityRef) string {
	switch ref.Type {
	case NodeTypeFile:
		checkFileHash(p, ref.ID)
		return ref.ID
	case NodeTypeURL:
		return urlParam(p, ref.ID)
	case NodeTypeDomain:
		checkDomain(p, ref.ID)
		return ref.ID
	case NodeTypeIPAddress:
		return ipParam(p, ref.ID)
	}
	checkEntityType(p, ref.Type)
	return ""
}

func checkEntityType(p *paramProblems, t NodeType) {
	p.addf("type", "%s is not file, url, domain or ip_address", strconv.Quote(truncateValue(string(t))))
}

// checkFileHash reports a value that is not an MD5, a SHA-1 or a SHA-256 in
// hexadecimal, the ids /files/{id} accepts.
func checkFileHash(p *paramProblems, hash string) {
	switch {
	case hash == "":
		p.add("id", "empty")
	case len(hash) != 32 && len(hash) != 40 && len(hash) != 64 || strings.ContainsFunc(hash, func(r rune) bool {
		return (r < '0' || r > '9') && (r < 'a' || r > 'f') && (r < 'A' || r > 'F')
	}):
		p.addf("id", "%s is not an MD5, SHA-1 or SHA-256 (32, 40 or 64 hexadecimal digits)", strconv.Quote(truncateValue(hash)))
	}
}

// urlParam returns the id of a URL given as itself or as an id: a value
// holding "://" cannot be a URL id, whose alphabet is URL-safe base64.
func urlParam(p *paramProblems, url string) string {
	if strings.Contains(url, "://") {
		return URLID(url)
	}
	switch {
	case url == "":
		p.add("id", "empty")
	case strings.ContainsFunc(url, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' && r != '_'
	}):
		p.addf("id", "%s is neither a URL (scheme://…) nor a URL id (unpadded URL-safe base64 or a SHA-256)", strconv.Quote(truncateValue(url)))
	}
	return url
}

// checkDomain reports a domain that cannot be sent as one path segment.
func checkDomain(p *paramProblems, domain string) {
	checkPathSegment(p, "id", domain)
}

// ipParam returns the canonical form of an IP address, the form VirusTotal
// keys addresses by.
func ipParam(p *paramProblems, ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Zone() != "" {
		if ip == "" {
			p.add("id", "empty")
		} else {
			p.addf("id", "%s is not an IPv4 or IPv6 address", strconv.Quote(truncateValue(ip)))
		}
		return ip
	}
	return a.String()
}
