// Package stix converts VirusTotal Threat Graphs to and from STIX 2.1, the
// format threat-intelligence platforms such as MISP and OpenCTI exchange
// indicators and their relationships in.
//
//	data, report, err := stix.Export(g)   // a *vtgraph.Graph to a bundle
//	g, report, err := stix.Import(data)   // a bundle to a *vtgraph.Graph
//
// Both take and give bytes, and both return a [Report]: what was carried
// over, counted by STIX type, and every object, node or link that was left
// out, with the reason. [Report.String] renders it for a person.
//
// # Export
//
// [Export] writes one bundle: a report that stands for the graph, then one
// object per node in graph order, then the relationships. The same graph
// always gives the same bytes.
//
// The graph becomes a report named after it (or "VirusTotal graph" and its
// id when it has no name, which [Import] reads back as no name), published
// when the graph was created, that refers to every other object and, for a
// saved graph, to the graph's VirusTotal URL as an external reference; a
// private graph has "x_vt_private": true. A report rather than a grouping,
// which the STIX 2.1 JSON schemas do not accept in a bundle.
//
// Nodes become cyber-observables where STIX has one:
//
//   - file: a file with its hash under the name its length gives (MD5,
//     SHA-1, SHA-256, SHA-512);
//   - domain: a domain-name; ip_address: an ipv4-addr or ipv6-addr;
//   - url: a url, when the entity id or the node's label is the URL (the UI
//     saves most URL nodes under their VirusTotal id only);
//   - ssl_cert: an x509-certificate with its SHA-256 hash;
//   - email (a custom type of the UI): an email-addr.
//
// Actors become threat-actors, victims and departments identities, and
// custom nodes named after a STIX domain object (attack-pattern, campaign,
// course-of-action, identity, incident, infrastructure, intrusion-set,
// malware, threat-actor, tool, vulnerability) that object, named by the
// node's label or entity id. Every other node, such as a whois record, a
// custom type STIX has no object for, or a URL known only by its VirusTotal
// id, becomes an x-vt-node: a custom observable that carries the node's
// type (x_vt_node_type, x_vt_custom_type) and entity id (x_vt_entity_id).
//
// Each typed hop through a relationship node, from every source to every
// target of the node, becomes one relationship, and so does each direct
// link; repeated links and hops give one relationship. The connection type
// is kept in x_vt_connection_type, and the relationship type is:
//
//   - resolves-to for resolutions from a domain to an IP address;
//   - communicates-with for contacted_domains, contacted_ips and
//     contacted_urls;
//   - drops for dropped_files;
//   - the connection type itself when it is a relationship type STIX
//     defines, as links made by [Import] have;
//   - related-to for everything else: links drawn by hand, and relations
//     such as communicating_files and execution_parents whose STIX
//     counterpart points the other way.
//
// Groups, commonalities, Intelligence searches, hunting rulesets and
// retrohunt jobs become x-vt-node objects too, with x_vt_relationship_type
// saying which, their members' ids in x_vt_member_refs (from their links
// and from grouped_node_ids) and their own attributes; one without members
// is left out and reported. Typed hops from a group become relationships
// from its object.
//
// The label of an observable is x_vt_label. Each entity attribute becomes
// a property x_vt_ followed by its name, with its value as it is
// (has_detections stays a bool or a count, type_tag and country are
// x_vt_type_tag and x_vt_country); attributes whose name or value cannot be
// a STIX property go together in x_vt_entity_attributes. A node's position
// and pinning, the graph's counters and the keys this module does not model
// (the Extra maps) are not exported: STIX has no use for a layout.
//
// Links to nodes that are not in the graph, links that join two
// relationship nodes, relationship nodes missing a side and nodes repeating
// an entity id are left out and reported.
//
// # Identifiers
//
// Observables get the ids STIX 2.1 prescribes (section 2.9, whose example
// ids Errata 01 corrected): the UUIDv5, in the namespace
// 00abedb4-aa42-466c-9c01-fed23315a9b7, of their ID contributing properties
// (value; for files and certificates the one hash) serialized by RFC 8785,
// so that every producer gives the same entity the same id. For an
// x-vt-node they are its node type, custom type and entity id, and for a
// special node also the graph's id, since its entity id is only unique in
// its graph.
//
// Domain objects, relationships and the report get UUIDv5 ids too, in a
// namespace of this package, from the graph's id and the entity ids, so
// that exporting again gives the same ids while two graphs never share one.
// They are dated with the graph's creation and last modification; a graph
// never saved has neither and its objects carry the Unix epoch, so that its
// output does not change from one run to the next. The bundle's id comes
// from its content.
//
// # Import
//
// [Import] reads a bundle, or a single STIX object, and builds a graph:
//
//   - observables become the nodes VirusTotal names them by: a file by its
//     SHA-256 (else SHA-1, else MD5) and labelled with its name, a
//     domain-name, ipv4-addr or ipv6-addr, url and x509-certificate (by its
//     SHA-256) by their value or hash, an email-addr as a custom email node
//     labelled with its display name;
//   - domain objects with a name become custom nodes: threat actors the UI's
//     actors, the others of the custom type of their own name; objects of
//     other observable types that have a value or a name (a mutex, say)
//     become custom nodes in the same way;
//   - an indicator whose pattern is a list of observables joined by OR,
//     such as [domain-name:value = 'a.example' OR ipv4-addr:value =
//     '198.51.100.1'], becomes those observables' nodes, and relationships
//     to or from it go to each of them; other patterns are reported;
//   - observed data stands for the observables it refers to or, in the
//     deprecated form, holds;
//   - the report or grouping that refers to a VirusTotal graph, or else the
//     bundle's only report or grouping, becomes the graph itself: its name,
//     id, dates and privacy; other reports and groupings become groups of
//     the nodes they refer to;
//   - a relationship becomes a link between the nodes its ends stand for,
//     through a relationship node as the UI draws typed links, under its
//     x_vt_connection_type or else the connection type its relationship
//     type maps back to (related-to becomes a link drawn by hand).
//
// What has no place in a graph is dropped and reported: sightings, notes,
// opinions, malware analyses, data markings, files without a hash,
// relationships whose ends are not in the graph, and older versions of an
// object (the newest, by modified, is read). [Report.Properties] lists the
// properties of kept objects the graph does not keep, such as
// descriptions and kill chain phases. The x_vt_ properties of [Export] are
// read back, so that exporting an imported bundle of this package gives
// the same bytes.
//
// The graph is not validated: [vtgraph.Graph.Validate] and
// [vtgraph.Client.CreateGraph] do that. Nodes are laid out on a grid, as
// the builder places new nodes, for the UI to arrange.
package stix
