package vtgraphtest

// The four entity types the universe holds, as VirusTotal names them.
const (
	typeFile      = "file"
	typeURL       = "url"
	typeDomain    = "domain"
	typeIPAddress = "ip_address"
	// typeResolution is the object a DNS resolution is served as: a domain
	// and an IP address at once.
	typeResolution = "resolution"
)

// relInfo is what the server knows about one relationship of an entity
// type: whether VirusTotal serves it only to premium keys (🔒 in its
// reference), whether it holds at most one object, and the types it leads
// to. A relationship whose targets are not entity types (comments, graphs,
// whois records…) exists, and answers an empty list, but the universe holds
// nothing for it.
type relInfo struct {
	premium bool
	single  bool
	targets []string
}

func lists(targets ...string) relInfo    { return relInfo{targets: targets} }
func premium(targets ...string) relInfo  { return relInfo{premium: true, targets: targets} }
func singleOf(targets ...string) relInfo { return relInfo{single: true, targets: targets} }

// entityRelationships lists the relationships of each entity type: those of
// VirusTotal's API v3 reference, and those vt-graph-api expands that the
// reference leaves out (collections, references, urls_for_embedded_js,
// embedded_js_files, urls_related_by_tracker_id, a URL's communicating and
// referrer files).
var entityRelationships = map[string]map[string]relInfo{
	typeFile: {
		"analyses":             premium("analysis"),
		"behaviours":           lists("file_behaviour"),
		"bundled_files":        lists(typeFile),
		"carbonblack_children": premium(typeFile),
		"carbonblack_parents":  premium(typeFile),
		"clues":                premium("clue"),
		"collections":          lists("collection"),
		"comments":             lists("comment"),
		"compressed_parents":   premium(typeFile),
		"contacted_domains":    lists(typeDomain),
		"contacted_ips":        lists(typeIPAddress),
		"contacted_urls":       lists(typeURL),
		"dropped_files":        lists(typeFile),
		"email_attachments":    premium(typeFile),
		"email_parents":        premium(typeFile),
		"embedded_domains":     premium(typeDomain),
		"embedded_ips":         premium(typeIPAddress),
		"embedded_urls":        premium(typeURL),
		"execution_parents":    lists(typeFile),
		"graphs":               lists("graph"),
		"itw_domains":          premium(typeDomain),
		"itw_ips":              premium(typeIPAddress),
		"itw_urls":             premium(typeURL),
		"overlay_children":     premium(typeFile),
		"overlay_parents":      premium(typeFile),
		"pcap_children":        premium(typeFile),
		"pcap_parents":         premium(typeFile),
		"pe_resource_children": lists(typeFile),
		"pe_resource_parents":  lists(typeFile),
		"references":           lists("reference"),
		"screenshots":          lists("screenshot"),
		"sigma_analysis":       premium("sigma_analysis"),
		"similar_files":        premium(typeFile),
		"submissions":          premium("submission"),
		"urls_for_embedded_js": lists(typeURL),
		"votes":                premium("vote"),
	},
	typeURL: {
		"analyses":                   premium("analysis"),
		"collections":                lists("collection"),
		"comments":                   lists("comment"),
		"communicating_files":        lists(typeFile),
		"contacted_domains":          premium(typeDomain),
		"contacted_ips":              premium(typeIPAddress),
		"downloaded_files":           premium(typeFile),
		"embedded_js_files":          lists(typeFile),
		"graphs":                     lists("graph"),
		"last_serving_ip_address":    singleOf(typeIPAddress),
		"network_location":           singleOf(typeDomain, typeIPAddress),
		"redirecting_urls":           premium(typeURL),
		"redirects_to":               premium(typeURL),
		"references":                 lists("reference"),
		"referrer_files":             lists(typeFile),
		"related_comments":           lists("comment"),
		"submissions":                premium("submission"),
		"urls_related_by_tracker_id": lists(typeURL),
	},
	typeDomain: {
		"caa_records":                 premium(typeDomain),
		"cname_records":               premium(typeDomain),
		"collections":                 lists("collection"),
		"comments":                    lists("comment"),
		"communicating_files":         lists(typeFile),
		"downloaded_files":            premium(typeFile),
		"graphs":                      lists("graph"),
		"historical_ssl_certificates": lists("ssl_cert"),
		"historical_whois":            lists("whois"),
		"immediate_parent":            singleOf(typeDomain),
		"mx_records":                  premium(typeDomain),
		"ns_records":                  premium(typeDomain),
		"parent":                      singleOf(typeDomain),
		"references":                  lists("reference"),
		"referrer_files":              lists(typeFile),
		"related_comments":            lists("comment"),
		"resolutions":                 lists(typeIPAddress),
		"siblings":                    lists(typeDomain),
		"soa_records":                 premium(typeDomain),
		"subdomains":                  lists(typeDomain),
		"urls":                        premium(typeURL),
	},
	typeIPAddress: {
		"collections":                 lists("collection"),
		"comments":                    lists("comment"),
		"communicating_files":         lists(typeFile),
		"downloaded_files":            premium(typeFile),
		"graphs":                      lists("graph"),
		"historical_ssl_certificates": lists("ssl_cert"),
		"historical_whois":            lists("whois"),
		"references":                  lists("reference"),
		"referrer_files":              lists(typeFile),
		"related_comments":            lists("comment"),
		"resolutions":                 lists(typeDomain),
		"urls":                        premium(typeURL),
	},
}

// edgeEnd is one side of a relationship between two entity types.
type edgeEnd struct {
	typ, rel string
}

// inverses pairs each relationship with the one that leads back: when a
// domain resolves to an IP address, the IP address resolves to the domain.
// The universe adds the way back of every relationship it is given, so that
// a path can be followed from either end, as on VirusTotal. A
// relationship absent from the keys has no way back (dropped_files,
// execution_parents, an IP address's urls, which could be either of a URL's
// two single relationships).
var inverses = func() map[edgeEnd]map[string]edgeEnd {
	m := map[edgeEnd]map[string]edgeEnd{}
	pair := func(a, b edgeEnd) {
		add := func(from, to edgeEnd) {
			if m[from] == nil {
				m[from] = map[string]edgeEnd{}
			}
			m[from][to.typ] = to
		}
		add(a, b)
		add(b, a)
	}
	oneWay := func(a, b edgeEnd) {
		if m[a] == nil {
			m[a] = map[string]edgeEnd{}
		}
		m[a][b.typ] = b
	}
	e := func(typ, rel string) edgeEnd { return edgeEnd{typ, rel} }
	pair(e(typeDomain, "resolutions"), e(typeIPAddress, "resolutions"))
	pair(e(typeDomain, "subdomains"), e(typeDomain, "parent"))
	pair(e(typeDomain, "siblings"), e(typeDomain, "siblings"))
	pair(e(typeFile, "contacted_domains"), e(typeDomain, "communicating_files"))
	pair(e(typeFile, "contacted_ips"), e(typeIPAddress, "communicating_files"))
	pair(e(typeFile, "contacted_urls"), e(typeURL, "communicating_files"))
	pair(e(typeFile, "embedded_domains"), e(typeDomain, "referrer_files"))
	pair(e(typeFile, "embedded_ips"), e(typeIPAddress, "referrer_files"))
	pair(e(typeFile, "embedded_urls"), e(typeURL, "referrer_files"))
	pair(e(typeFile, "itw_domains"), e(typeDomain, "downloaded_files"))
	pair(e(typeFile, "itw_ips"), e(typeIPAddress, "downloaded_files"))
	pair(e(typeFile, "itw_urls"), e(typeURL, "downloaded_files"))
	pair(e(typeFile, "bundled_files"), e(typeFile, "compressed_parents"))
	pair(e(typeFile, "pe_resource_children"), e(typeFile, "pe_resource_parents"))
	pair(e(typeFile, "overlay_children"), e(typeFile, "overlay_parents"))
	pair(e(typeFile, "pcap_children"), e(typeFile, "pcap_parents"))
	pair(e(typeFile, "email_attachments"), e(typeFile, "email_parents"))
	pair(e(typeFile, "carbonblack_children"), e(typeFile, "carbonblack_parents"))
	pair(e(typeFile, "similar_files"), e(typeFile, "similar_files"))
	pair(e(typeURL, "redirects_to"), e(typeURL, "redirecting_urls"))
	pair(e(typeURL, "network_location"), e(typeDomain, "urls"))
	oneWay(e(typeURL, "network_location"), e(typeIPAddress, "urls"))
	oneWay(e(typeURL, "last_serving_ip_address"), e(typeIPAddress, "urls"))
	return m
}()

// inverseOf returns the relationship of a target of type to that leads back
// to a source of type from through rel.
func inverseOf(from, rel, to string) (string, bool) {
	back, ok := inverses[edgeEnd{from, rel}][to]
	return back.rel, ok
}
