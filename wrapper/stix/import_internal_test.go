package stix

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHashNamed checks how hashes keys are read: the algorithm's name in
// any case, with or without its separators, and only for a hash of the
// length that algorithm gives.
func TestHashNamed(t *testing.T) {
	t.Parallel()
	md5 := "0cc175b9c0f1b6a831c399e269772661"
	sha256 := "CA978112CA1BBDCAFAC231B39A23DC4DA786EFF8147C4E72B9807785AFEE48BB"
	tests := []struct{ key, hash, want string }{
		{"MD5", md5, "MD5"},
		{"md5", md5, "MD5"},
		{"SHA-256", sha256, "SHA-256"},
		{"SHA256", sha256, "SHA-256"},
		{"sha_256", sha256, "SHA-256"},
		{"SHA-1", strings.Repeat("a", 40), "SHA-1"},
		{"SHA-512", strings.Repeat("b", 128), "SHA-512"},
		{"SHA-256", md5, ""},
		{"MD5", sha256, ""},
		{"SHA3-256", sha256, ""},
		{"MD5", "not a hash at all, 32 bytes long", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, hashNamed(tt.key, tt.hash), "%s %s", tt.key, tt.hash)
	}
}
