// Package vtgraph is a typed Go client for the VirusTotal API v3 Threat Graphs endpoints.
package vtgraph
