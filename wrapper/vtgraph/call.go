package vtgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// This file holds what every operation shares once its request is built: the
// JSON content type, context errors, and the response envelopes. The
// envelopes decode the body in one pass with the package's scanner, which
// validates as it goes, so any body that is not the expected shape, down to
// one bad list item, becomes a *DecodeError with the status and an excerpt
// around the offset where decoding failed.

const contentTypeJSON = "application/json"

// withContext makes an error that happened because ctx ended say so, so that
// errors.Is(err, context.Canceled) holds whichever stage noticed it first:
// the pipeline already wraps the context's error, but a body read cut short
// by cancellation reports only the read failure, whether the body is a
// graph or an error page. An *APIError alone, its body read to the end, is
// the server's whole answer and is left alone.
func withContext(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	if _, whole := err.(*APIError); whole {
		return err
	}
	return fmt.Errorf("%w (%w)", err, contextError(ctx))
}

// decodeResponse decodes the response of a call that returned resp and err
// into v, closing the body, and adds the context's error where it belongs.
// It is the way out of every call that sends a request, so the rules for
// what an error holds are applied here: an error without a response comes
// from the pipeline, which has removed the key already, and one made from
// the response has the key of the request that was sent, the pipeline's,
// removed (see redactKey).
func decodeResponse(ctx context.Context, resp *http.Response, err error, v any) error {
	if err != nil {
		return withContext(ctx, err)
	}
	return withContext(ctx, redactKey(decodeJSON(resp, v), sentKey(resp.Request)))
}

// errNoData is the decoding error for an envelope without its data member.
var errNoData = errors.New(`the response has no "data" member`)

// bodyDecoder is a response envelope that decodes a 2xx body itself.
// decodeJSON hands it the body it read with ownership: the body was read for
// this one call, nothing else refers to it, and nothing writes to it
// afterwards, so what the envelope decodes may keep pointing into it (see
// jsonScanner) rather than copying it.
type bodyDecoder interface {
	decodeBody(body []byte) error
}

// isKey reports whether an envelope key names field, matched without
// regard to case as encoding/json matches struct fields.
func isKey(key []byte, field string) bool {
	return len(key) == len(field) && bytes.EqualFold(key, []byte(field))
}

// pageBody decodes a list response, {"data": [...], "meta": {...},
// "links": {"next": "..."}}, into a Page, with decode turning each item into
// a T. With single set, data may also be one object or null, as the owner
// and group relationships answer: a page of one item or none.
type pageBody[T any] struct {
	decode func(*jsonScanner) (T, error)
	single bool
	page   *Page[T]
}

// decodeBody decodes the envelope and every item.
func (b *pageBody[T]) decodeBody(body []byte) error {
	s := ownedJSONScanner(body)
	var (
		items []T
		found bool
		meta  map[string]json.RawMessage
		next  string
	)
	err := s.object(func(key []byte) error {
		var err error
		switch {
		case isKey(key, "data"):
			found = true
			items, err = b.items(&s)
		case isKey(key, "meta"):
			err = pathPrefix("meta", decodeMeta(&s, &meta))
		case isKey(key, "links"):
			err = pathPrefix("links", decodeLinksNext(&s, &next))
		default:
			err = s.skip(0)
		}
		return err
	})
	if err == nil {
		err = s.end()
	}
	switch {
	case err != nil:
		return err
	case !found:
		return errNoData
	}
	b.page, err = newPage(items, meta, next)
	return err
}

func (b *pageBody[T]) items(s *jsonScanner) ([]T, error) {
	switch {
	case s.literal("null"):
		if b.single {
			return []T{}, nil
		}
		return nil, errors.New("data is null, not a list")
	case s.peek() == '{' && b.single:
		v, err := b.decode(s)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		return []T{v}, nil
	case s.peek() != '[':
		return nil, fmt.Errorf("data: %w", s.errorf("expected a list"))
	}
	items := []T{}
	err := s.array(func(i int) error {
		v, err := b.decode(s)
		if err != nil {
			return fmt.Errorf("data[%d]: %w", i, err)
		}
		items = append(items, v)
		return nil
	})
	return items, err
}

// decodeMeta decodes a meta object into *m, copying the values: they are
// small, and a page's metadata should not keep the whole body in memory.
// Like encoding/json, null leaves *m nil and a repeated meta merges.
func decodeMeta(s *jsonScanner, m *map[string]json.RawMessage) error {
	if s.literal("null") {
		*m = nil
		return nil
	}
	return s.object(func(key []byte) error {
		raw, err := s.raw()
		if err != nil {
			return err
		}
		if *m == nil {
			*m = make(map[string]json.RawMessage, 2)
		}
		(*m)[string(key)] = bytes.Clone(raw)
		return nil
	})
}

// decodeLinksNext decodes a links object, keeping links.next in *next.
// Like encoding/json into a string field, null leaves *next as it is.
func decodeLinksNext(s *jsonScanner, next *string) error {
	if s.literal("null") {
		return nil
	}
	return s.object(func(key []byte) error {
		if !isKey(key, "next") {
			return s.skip(0)
		}
		if s.literal("null") {
			return nil
		}
		v, err := s.str()
		if err != nil {
			return pathPrefix("next", err)
		}
		*next = strings.Clone(v)
		return nil
	})
}

// dataBody decodes a response holding one value, {"data": ...}, with decode.
// A missing data member is an error; so is null unless nullable is set, in
// which case null leaves value zero.
type dataBody[T any] struct {
	decode   func(*jsonScanner) (T, error)
	nullable bool
	value    T
}

// decodeBody decodes the envelope and its value.
func (b *dataBody[T]) decodeBody(body []byte) error {
	s := ownedJSONScanner(body)
	found := false
	err := s.object(func(key []byte) error {
		if !isKey(key, "data") {
			return s.skip(0)
		}
		found = true
		var zero T
		b.value = zero
		if s.literal("null") {
			if !b.nullable {
				return errors.New("data is null")
			}
			return nil
		}
		v, err := b.decode(&s)
		if err != nil {
			return fmt.Errorf("data: %w", err)
		}
		b.value = v
		return nil
	})
	if err == nil {
		err = s.end()
	}
	if err == nil && !found {
		err = errNoData
	}
	return err
}

// rawDecoder adapts f, which decodes one JSON value, usually with
// encoding/json, to the scanner of an envelope: the value is cut out of the
// body, validated, and passed to f. An error f reports at an offset of the
// value is moved to the offset in the body.
func rawDecoder[T any](f func([]byte) (T, error)) func(*jsonScanner) (T, error) {
	return func(s *jsonScanner) (T, error) {
		start := s.pos
		raw, err := s.raw()
		if err != nil {
			var zero T
			return zero, err
		}
		v, err := f(raw)
		if err != nil {
			err = &offsetError{offset: int64(start) + errorOffset(err), err: err}
		}
		return v, err
	}
}

// withID makes decode fail on an object without an id: the API gives every
// object one, and nothing else could refer to it, to fetch it again or
// share a graph with it. what names the object in the error.
func withID[T any](what string, decode func([]byte) (T, error), id func(T) string) func([]byte) (T, error) {
	return func(data []byte) (T, error) {
		v, err := decode(data)
		if err == nil && id(v) == "" {
			var zero T
			return zero, errors.New("the " + what + " has no id")
		}
		return v, err
	}
}

// decodeValue decodes JSON into a T with encoding/json, for items without a
// codec of their own.
func decodeValue[T any](data []byte) (T, error) {
	var v T
	err := json.Unmarshal(data, &v)
	return v, err
}

// encodeData wraps a request body's payload as {"data": payload}.
func encodeData(payload any) ([]byte, error) {
	b, err := json.Marshal(struct {
		Data any `json:"data"`
	}{payload})
	if err != nil {
		return nil, fmt.Errorf("vtgraph: encoding the request body: %w", err)
	}
	return b, nil
}
