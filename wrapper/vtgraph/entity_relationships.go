package vtgraph

import (
	"slices"
	"strconv"
)

// Relationship names a relationship of a file, URL, domain or IP address: a
// set of objects reached from it, such as a domain's resolutions or a file's
// contacted IP addresses. The constants are the relationships VirusTotal's
// API v3 reference documents for each type, and those its graph library
// vt-graph-api expands; [EntityRelationships] lists them with what they
// lead to. Any other name of lowercase letters, digits and underscores is
// sent as is, so relationships VirusTotal adds later work without a new
// release.
type Relationship string

// RelationshipInfo describes a relationship of an entity type.
type RelationshipInfo struct {
	// Name is the relationship's name.
	Name Relationship
	// Premium says that VirusTotal serves the relationship only to premium
	// API keys; with another key it answers 403, reported as a
	// *PremiumError.
	Premium bool
	// Single says that the relationship holds at most one object, which
	// the API returns as one object or null rather than a list; the list
	// calls return it as a page of one item or none.
	Single bool
	// Targets are the types of what it leads to: entity types such as
	// NodeTypeIPAddress, or others such as "comment" or "graph". The
	// resolutions relationship lists resolution objects; its targets are
	// the entities at their other end (see [ResolutionPeer]).
	Targets []NodeType
}

// The relationships of file objects. Those marked premium need a premium API key.
const (
	// FileAnalyses leads to the analyses of the file; premium.
	FileAnalyses Relationship = "analyses"
	// FileBehaviours leads to the sandbox reports of the file's behaviour.
	FileBehaviours Relationship = "behaviours"
	// FileBundledFiles leads to the files bundled inside the file (an archive's contents).
	FileBundledFiles Relationship = "bundled_files"
	// FileCarbonBlackChildren leads to the files Carbon Black saw the file create; premium.
	FileCarbonBlackChildren Relationship = "carbonblack_children"
	// FileCarbonBlackParents leads to the files Carbon Black saw create the file; premium.
	FileCarbonBlackParents Relationship = "carbonblack_parents"
	// FileClues leads to clues about the file; premium.
	FileClues Relationship = "clues"
	// FileCollections leads to the collections the file belongs to.
	FileCollections Relationship = "collections"
	// FileComments leads to the community's comments on the file.
	FileComments Relationship = "comments"
	// FileCompressedParents leads to the archives holding the file; premium.
	FileCompressedParents Relationship = "compressed_parents"
	// FileContactedDomains leads to the domains the file contacted.
	FileContactedDomains Relationship = "contacted_domains"
	// FileContactedIPs leads to the IP addresses the file contacted.
	FileContactedIPs Relationship = "contacted_ips"
	// FileContactedURLs leads to the URLs the file contacted.
	FileContactedURLs Relationship = "contacted_urls"
	// FileDroppedFiles leads to the files the file dropped when run.
	FileDroppedFiles Relationship = "dropped_files"
	// FileEmailAttachments leads to the files attached to the email; premium.
	FileEmailAttachments Relationship = "email_attachments"
	// FileEmailParents leads to the emails the file was attached to; premium.
	FileEmailParents Relationship = "email_parents"
	// FileEmbeddedDomains leads to the domains found in the file's content; premium.
	FileEmbeddedDomains Relationship = "embedded_domains"
	// FileEmbeddedIPs leads to the IP addresses found in the file's content; premium.
	FileEmbeddedIPs Relationship = "embedded_ips"
	// FileEmbeddedURLs leads to the URLs found in the file's content; premium.
	FileEmbeddedURLs Relationship = "embedded_urls"
	// FileExecutionParents leads to the files that ran the file.
	FileExecutionParents Relationship = "execution_parents"
	// FileGraphs leads to the graphs showing the file.
	FileGraphs Relationship = "graphs"
	// FileITWDomains leads to the domains the file was downloaded from (in the wild); premium.
	FileITWDomains Relationship = "itw_domains"
	// FileITWIPs leads to the IP addresses the file was downloaded from (in the wild); premium.
	FileITWIPs Relationship = "itw_ips"
	// FileITWURLs leads to the URLs the file was downloaded from (in the wild); premium.
	FileITWURLs Relationship = "itw_urls"
	// FileOverlayChildren leads to the files found in the file's overlay; premium.
	FileOverlayChildren Relationship = "overlay_children"
	// FileOverlayParents leads to the files holding the file in their overlay; premium.
	FileOverlayParents Relationship = "overlay_parents"
	// FilePCAPChildren leads to the files extracted from the network capture; premium.
	FilePCAPChildren Relationship = "pcap_children"
	// FilePCAPParents leads to the network captures the file was extracted from; premium.
	FilePCAPParents Relationship = "pcap_parents"
	// FilePEResourceChildren leads to the files found in the file's PE resources.
	FilePEResourceChildren Relationship = "pe_resource_children"
	// FilePEResourceParents leads to the files holding the file in their PE resources.
	FilePEResourceParents Relationship = "pe_resource_parents"
	// FileReferences leads to the references (reports, articles) about the file.
	FileReferences Relationship = "references"
	// FileScreenshots leads to the screenshots taken while the file ran.
	FileScreenshots Relationship = "screenshots"
	// FileSigmaAnalysis leads to the Sigma rule analysis of the file's behaviour; premium.
	FileSigmaAnalysis Relationship = "sigma_analysis"
	// FileSimilarFiles leads to the files similar to the file; premium.
	FileSimilarFiles Relationship = "similar_files"
	// FileSubmissions leads to the submissions of the file; premium.
	FileSubmissions Relationship = "submissions"
	// FileURLsForEmbeddedJS leads to the URLs whose pages embed the file as JavaScript.
	FileURLsForEmbeddedJS Relationship = "urls_for_embedded_js"
	// FileVotes leads to the community's votes on the file; premium.
	FileVotes Relationship = "votes"
)

// The relationships of URL objects. Those marked premium need a premium API key.
const (
	// URLAnalyses leads to the analyses of the URL; premium.
	URLAnalyses Relationship = "analyses"
	// URLCollections leads to the collections the URL belongs to.
	URLCollections Relationship = "collections"
	// URLComments leads to the community's comments on the URL.
	URLComments Relationship = "comments"
	// URLCommunicatingFiles leads to the files that contacted the URL.
	URLCommunicatingFiles Relationship = "communicating_files"
	// URLContactedDomains leads to the domains the URL contacted; premium.
	URLContactedDomains Relationship = "contacted_domains"
	// URLContactedIPs leads to the IP addresses the URL contacted; premium.
	URLContactedIPs Relationship = "contacted_ips"
	// URLDownloadedFiles leads to the files downloaded from the URL; premium.
	URLDownloadedFiles Relationship = "downloaded_files"
	// URLEmbeddedJSFiles leads to the JavaScript files the page embeds.
	URLEmbeddedJSFiles Relationship = "embedded_js_files"
	// URLGraphs leads to the graphs showing the URL.
	URLGraphs Relationship = "graphs"
	// URLLastServingIPAddress leads to the IP address that last served the URL, a single object.
	URLLastServingIPAddress Relationship = "last_serving_ip_address"
	// URLNetworkLocation leads to the domain or IP address the URL points to, a single object.
	URLNetworkLocation Relationship = "network_location"
	// URLRedirectingURLs leads to the URLs that redirect to the URL; premium.
	URLRedirectingURLs Relationship = "redirecting_urls"
	// URLRedirectsTo leads to the URLs the URL redirects to; premium.
	URLRedirectsTo Relationship = "redirects_to"
	// URLReferences leads to the references (reports, articles) about the URL.
	URLReferences Relationship = "references"
	// URLReferrerFiles leads to the files whose content names the URL.
	URLReferrerFiles Relationship = "referrer_files"
	// URLRelatedComments leads to the comments on objects related to the URL.
	URLRelatedComments Relationship = "related_comments"
	// URLSubmissions leads to the submissions of the URL; premium.
	URLSubmissions Relationship = "submissions"
	// URLURLsRelatedByTrackerID leads to the URLs sharing a tracker id with the URL.
	URLURLsRelatedByTrackerID Relationship = "urls_related_by_tracker_id"
)

// The relationships of domain objects. Those marked premium need a premium API key.
const (
	// DomainCAARecords leads to the domains in the domain's CAA records; premium.
	DomainCAARecords Relationship = "caa_records"
	// DomainCNAMERecords leads to the domains in the domain's CNAME records; premium.
	DomainCNAMERecords Relationship = "cname_records"
	// DomainCollections leads to the collections the domain belongs to.
	DomainCollections Relationship = "collections"
	// DomainComments leads to the community's comments on the domain.
	DomainComments Relationship = "comments"
	// DomainCommunicatingFiles leads to the files that contacted the domain.
	DomainCommunicatingFiles Relationship = "communicating_files"
	// DomainDownloadedFiles leads to the files downloaded from the domain; premium.
	DomainDownloadedFiles Relationship = "downloaded_files"
	// DomainGraphs leads to the graphs showing the domain.
	DomainGraphs Relationship = "graphs"
	// DomainHistoricalSSLCertificates leads to the TLS certificates the domain served over time.
	DomainHistoricalSSLCertificates Relationship = "historical_ssl_certificates"
	// DomainHistoricalWhois leads to the whois records of the domain over time.
	DomainHistoricalWhois Relationship = "historical_whois"
	// DomainImmediateParent leads to the domain one label up, a single object.
	DomainImmediateParent Relationship = "immediate_parent"
	// DomainMXRecords leads to the domains in the domain's MX records; premium.
	DomainMXRecords Relationship = "mx_records"
	// DomainNSRecords leads to the domains in the domain's NS records; premium.
	DomainNSRecords Relationship = "ns_records"
	// DomainParent leads to the registered domain the domain belongs to, a single object.
	DomainParent Relationship = "parent"
	// DomainReferences leads to the references (reports, articles) about the domain.
	DomainReferences Relationship = "references"
	// DomainReferrerFiles leads to the files whose content names the domain.
	DomainReferrerFiles Relationship = "referrer_files"
	// DomainRelatedComments leads to the comments on objects related to the domain.
	DomainRelatedComments Relationship = "related_comments"
	// DomainResolutions leads to the DNS resolutions of the domain, resolution objects (see ResolutionPeer).
	DomainResolutions Relationship = "resolutions"
	// DomainSiblings leads to the domains sharing the domain's parent.
	DomainSiblings Relationship = "siblings"
	// DomainSOARecords leads to the domains in the domain's SOA records; premium.
	DomainSOARecords Relationship = "soa_records"
	// DomainSubdomains leads to the domain's subdomains.
	DomainSubdomains Relationship = "subdomains"
	// DomainURLs leads to the URLs under the domain; premium.
	DomainURLs Relationship = "urls"
)

// The relationships of IP address objects. Those marked premium need a premium API key.
const (
	// IPAddressCollections leads to the collections the IP address belongs to.
	IPAddressCollections Relationship = "collections"
	// IPAddressComments leads to the community's comments on the IP address.
	IPAddressComments Relationship = "comments"
	// IPAddressCommunicatingFiles leads to the files that contacted the IP address.
	IPAddressCommunicatingFiles Relationship = "communicating_files"
	// IPAddressDownloadedFiles leads to the files downloaded from the IP address; premium.
	IPAddressDownloadedFiles Relationship = "downloaded_files"
	// IPAddressGraphs leads to the graphs showing the IP address.
	IPAddressGraphs Relationship = "graphs"
	// IPAddressHistoricalSSLCertificates leads to the TLS certificates the IP address served over time.
	IPAddressHistoricalSSLCertificates Relationship = "historical_ssl_certificates"
	// IPAddressHistoricalWhois leads to the whois records of the IP address over time.
	IPAddressHistoricalWhois Relationship = "historical_whois"
	// IPAddressReferences leads to the references (reports, articles) about the IP address.
	IPAddressReferences Relationship = "references"
	// IPAddressReferrerFiles leads to the files whose content names the IP address.
	IPAddressReferrerFiles Relationship = "referrer_files"
	// IPAddressRelatedComments leads to the comments on objects related to the IP address.
	IPAddressRelatedComments Relationship = "related_comments"
	// IPAddressResolutions leads to the DNS resolutions of the IP address, resolution objects (see ResolutionPeer).
	IPAddressResolutions Relationship = "resolutions"
	// IPAddressURLs leads to the URLs under the IP address; premium.
	IPAddressURLs Relationship = "urls"
)

// relationshipTables holds what each entity type's relationships lead to.
var relationshipTables = map[NodeType][]RelationshipInfo{
	NodeTypeFile: {
		{Name: FileAnalyses, Premium: true, Targets: []NodeType{NodeType("analysis")}},
		{Name: FileBehaviours, Targets: []NodeType{NodeType("file_behaviour")}},
		{Name: FileBundledFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: FileCarbonBlackChildren, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FileCarbonBlackParents, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FileClues, Premium: true, Targets: []NodeType{NodeType("clue")}},
		{Name: FileCollections, Targets: []NodeType{NodeType("collection")}},
		{Name: FileComments, Targets: []NodeType{NodeType("comment")}},
		{Name: FileCompressedParents, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FileContactedDomains, Targets: []NodeType{NodeTypeDomain}},
		{Name: FileContactedIPs, Targets: []NodeType{NodeTypeIPAddress}},
		{Name: FileContactedURLs, Targets: []NodeType{NodeTypeURL}},
		{Name: FileDroppedFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: FileEmailAttachments, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FileEmailParents, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FileEmbeddedDomains, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: FileEmbeddedIPs, Premium: true, Targets: []NodeType{NodeTypeIPAddress}},
		{Name: FileEmbeddedURLs, Premium: true, Targets: []NodeType{NodeTypeURL}},
		{Name: FileExecutionParents, Targets: []NodeType{NodeTypeFile}},
		{Name: FileGraphs, Targets: []NodeType{NodeType("graph")}},
		{Name: FileITWDomains, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: FileITWIPs, Premium: true, Targets: []NodeType{NodeTypeIPAddress}},
		{Name: FileITWURLs, Premium: true, Targets: []NodeType{NodeTypeURL}},
		{Name: FileOverlayChildren, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FileOverlayParents, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FilePCAPChildren, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FilePCAPParents, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FilePEResourceChildren, Targets: []NodeType{NodeTypeFile}},
		{Name: FilePEResourceParents, Targets: []NodeType{NodeTypeFile}},
		{Name: FileReferences, Targets: []NodeType{NodeType("reference")}},
		{Name: FileScreenshots, Targets: []NodeType{NodeType("screenshot")}},
		{Name: FileSigmaAnalysis, Premium: true, Targets: []NodeType{NodeType("sigma_analysis")}},
		{Name: FileSimilarFiles, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: FileSubmissions, Premium: true, Targets: []NodeType{NodeType("submission")}},
		{Name: FileURLsForEmbeddedJS, Targets: []NodeType{NodeTypeURL}},
		{Name: FileVotes, Premium: true, Targets: []NodeType{NodeType("vote")}},
	},
	NodeTypeURL: {
		{Name: URLAnalyses, Premium: true, Targets: []NodeType{NodeType("analysis")}},
		{Name: URLCollections, Targets: []NodeType{NodeType("collection")}},
		{Name: URLComments, Targets: []NodeType{NodeType("comment")}},
		{Name: URLCommunicatingFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: URLContactedDomains, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: URLContactedIPs, Premium: true, Targets: []NodeType{NodeTypeIPAddress}},
		{Name: URLDownloadedFiles, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: URLEmbeddedJSFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: URLGraphs, Targets: []NodeType{NodeType("graph")}},
		{Name: URLLastServingIPAddress, Single: true, Targets: []NodeType{NodeTypeIPAddress}},
		{Name: URLNetworkLocation, Single: true, Targets: []NodeType{NodeTypeDomain, NodeTypeIPAddress}},
		{Name: URLRedirectingURLs, Premium: true, Targets: []NodeType{NodeTypeURL}},
		{Name: URLRedirectsTo, Premium: true, Targets: []NodeType{NodeTypeURL}},
		{Name: URLReferences, Targets: []NodeType{NodeType("reference")}},
		{Name: URLReferrerFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: URLRelatedComments, Targets: []NodeType{NodeType("comment")}},
		{Name: URLSubmissions, Premium: true, Targets: []NodeType{NodeType("submission")}},
		{Name: URLURLsRelatedByTrackerID, Targets: []NodeType{NodeTypeURL}},
	},
	NodeTypeDomain: {
		{Name: DomainCAARecords, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainCNAMERecords, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainCollections, Targets: []NodeType{NodeType("collection")}},
		{Name: DomainComments, Targets: []NodeType{NodeType("comment")}},
		{Name: DomainCommunicatingFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: DomainDownloadedFiles, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: DomainGraphs, Targets: []NodeType{NodeType("graph")}},
		{Name: DomainHistoricalSSLCertificates, Targets: []NodeType{NodeType("ssl_cert")}},
		{Name: DomainHistoricalWhois, Targets: []NodeType{NodeType("whois")}},
		{Name: DomainImmediateParent, Single: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainMXRecords, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainNSRecords, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainParent, Single: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainReferences, Targets: []NodeType{NodeType("reference")}},
		{Name: DomainReferrerFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: DomainRelatedComments, Targets: []NodeType{NodeType("comment")}},
		{Name: DomainResolutions, Targets: []NodeType{NodeTypeIPAddress}},
		{Name: DomainSiblings, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainSOARecords, Premium: true, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainSubdomains, Targets: []NodeType{NodeTypeDomain}},
		{Name: DomainURLs, Premium: true, Targets: []NodeType{NodeTypeURL}},
	},
	NodeTypeIPAddress: {
		{Name: IPAddressCollections, Targets: []NodeType{NodeType("collection")}},
		{Name: IPAddressComments, Targets: []NodeType{NodeType("comment")}},
		{Name: IPAddressCommunicatingFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: IPAddressDownloadedFiles, Premium: true, Targets: []NodeType{NodeTypeFile}},
		{Name: IPAddressGraphs, Targets: []NodeType{NodeType("graph")}},
		{Name: IPAddressHistoricalSSLCertificates, Targets: []NodeType{NodeType("ssl_cert")}},
		{Name: IPAddressHistoricalWhois, Targets: []NodeType{NodeType("whois")}},
		{Name: IPAddressReferences, Targets: []NodeType{NodeType("reference")}},
		{Name: IPAddressReferrerFiles, Targets: []NodeType{NodeTypeFile}},
		{Name: IPAddressRelatedComments, Targets: []NodeType{NodeType("comment")}},
		{Name: IPAddressResolutions, Targets: []NodeType{NodeTypeDomain}},
		{Name: IPAddressURLs, Premium: true, Targets: []NodeType{NodeTypeURL}},
	},
}

// EntityRelationships returns the relationships of an entity type, sorted by
// name, or nil for a type other than NodeTypeFile, NodeTypeURL,
// NodeTypeDomain and NodeTypeIPAddress. The slice is the caller's to change.
func EntityRelationships(t NodeType) []RelationshipInfo {
	infos := slices.Clone(relationshipTables[t])
	for i := range infos {
		infos[i].Targets = slices.Clone(infos[i].Targets)
	}
	return infos
}

// LookupRelationship returns what the relationship of an entity type is,
// with ok false when this package does not know it.
func LookupRelationship(t NodeType, r Relationship) (info RelationshipInfo, ok bool) {
	info, ok = tableRelationship(t, r)
	info.Targets = slices.Clone(info.Targets)
	return info, ok
}

// tableRelationship is LookupRelationship for this package's own use: its
// Targets are the table's, not a copy, so it allocates nothing, which
// matters to the pivoting calls that ask about every relationship of every
// node. Nothing may change them.
func tableRelationship(t NodeType, r Relationship) (RelationshipInfo, bool) {
	i := slices.IndexFunc(relationshipTables[t], func(info RelationshipInfo) bool { return info.Name == r })
	if i < 0 {
		return RelationshipInfo{}, false
	}
	return relationshipTables[t][i], true
}

// checkRelationship reports a relationship name that is not of the form of
// one: a lowercase letter, then lowercase letters, digits and underscores.
func checkRelationship(p *paramProblems, path string, r Relationship) {
	if r == "" {
		p.add(path, "empty")
		return
	}
	for i, c := range string(r) {
		if (c < 'a' || c > 'z') && c != '_' && (c < '0' || c > '9') || i == 0 && (c < 'a' || c > 'z') {
			p.addf(path, "%s is not a relationship name (lowercase letters, digits and underscores)", strconv.Quote(truncateValue(string(r))))
			return
		}
	}
}
