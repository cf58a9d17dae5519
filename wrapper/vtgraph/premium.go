package vtgraph

import (
	"errors"
	"net/http"
)

// PremiumError reports that VirusTotal refused, with 403 ForbiddenError,
// something it serves only to premium API keys: a premium relationship
// ([RelationshipInfo.Premium]) or intelligence search. A program walking
// relationships can skip the ones it gets this for and carry on. It unwraps
// to the *APIError, so errors.Is(err, ErrForbidden) holds too.
type PremiumError struct {
	// Type is the entity type whose relationship was refused; empty for
	// intelligence search.
	Type NodeType
	// Relationship is the relationship refused; empty for intelligence
	// search.
	Relationship Relationship
	// Err is VirusTotal's answer.
	Err *APIError
}

// Error says what needs a premium key, followed by VirusTotal's answer.
func (e *PremiumError) Error() string {
	what := "intelligence search"
	if e.Relationship != "" {
		what = "the " + string(e.Relationship) + " relationship of " + string(e.Type) + " objects"
	}
	return "vtgraph: " + what + " needs a premium API key: " + e.Err.Error()
}

// Unwrap returns VirusTotal's answer.
func (e *PremiumError) Unwrap() error { return e.Err }

// premiumError wraps a 403 to a premium feature; any other error is
// returned as is.
func premiumError(err error, t NodeType, rel Relationship) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden {
		return &PremiumError{Type: t, Relationship: rel, Err: apiErr}
	}
	return err
}
