package vtgraphtest

import "fmt"

// SetPremium gives the user a premium API key, or a public one. With a
// public key, the relationships VirusTotal reserves for premium keys (a
// file's embedded and in-the-wild URLs, domains and IP addresses, a
// domain's URLs, …) and intelligence search answer 403 ForbiddenError, as
// they do on VirusTotal. Every user's key is premium except carol's.
func (s *Server) SetPremium(userID string, premium bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		return fmt.Errorf("vtgraphtest: SetPremium: no user %q", userID)
	}
	if premium {
		delete(s.public, userID)
	} else {
		s.public[userID] = true
	}
	return nil
}

// premiumUser reports whether the user's key is a premium one.
func (s *Server) premiumUser(u *user) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return u != nil && !s.public[u.id]
}
