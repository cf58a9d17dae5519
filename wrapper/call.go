package vtgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// This file holds what every operation shares once its request is built: the
// JSON content type, context errors, and the response envelopes. The
// envelopes decode inside decodeJSON's single json.Unmarshal, so any body
// that is not the expected shape, down to one bad list item, becomes a
// *DecodeError with the status and an excerpt.

const contentTypeJSON = "application/json"

// withContext makes an error that happened because ctx ended say so, so that
// errors.Is(err, context.Canceled) holds whichever stage noticed it first:
// the pipeline already wraps the context's error, but a body read cut short
// by cancellation reports only the read failure. An *APIError is the
// server's answer and is left alone.
func withContext(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return err
	}
	return fmt.Errorf("%w (%w)", err, contextError(ctx))
}

// decodeResponse decodes the response of a call that returned resp and err
// into v, closing the body, and adds the context's error where it belongs.
func decodeResponse(ctx context.Context, resp *http.Response, err error, v any) error {
	if err != nil {
		return withContext(ctx, err)
	}
	return withContext(ctx, decodeJSON(resp, v))
}

// errNoData is the decoding error for an envelope without its data member.
var errNoData = errors.New(`the response has no "data" member`)

// pageBody decodes a list response, {"data": [...], "meta": {...},
// "links": {"next": "..."}}, into a Page, with decode turning each item into
// a T. With single set, data may also be one object or null, as the owner
// and group relationships answer: a page of one item or none.
type pageBody[T any] struct {
	decode func([]byte) (T, error)
	single bool
	page   *Page[T]
}

// UnmarshalJSON decodes the envelope and every item.
func (b *pageBody[T]) UnmarshalJSON(data []byte) error {
	var env struct {
		Data  bodySlice                  `json:"data"`
		Meta  map[string]json.RawMessage `json:"meta"`
		Links struct {
			Next string `json:"next"`
		} `json:"links"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return err
	}
	items, err := b.items(bytes.TrimSpace(env.Data))
	if err != nil {
		return err
	}
	b.page, err = newPage(items, env.Meta, env.Links.Next)
	return err
}

func (b *pageBody[T]) items(raw []byte) ([]T, error) {
	switch {
	case len(raw) == 0:
		return nil, errNoData
	case string(raw) == "null":
		if b.single {
			return []T{}, nil
		}
		return nil, errors.New("data is null, not a list")
	case raw[0] == '{' && b.single:
		v, err := b.decode(raw)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		return []T{v}, nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	items := make([]T, len(elems))
	for i, e := range elems {
		v, err := b.decode(e)
		if err != nil {
			return nil, fmt.Errorf("data[%d]: %w", i, err)
		}
		items[i] = v
	}
	return items, nil
}

// dataBody decodes a response holding one value, {"data": ...}, with decode.
// A missing data member is an error; so is null unless nullable is set, in
// which case null leaves value zero.
type dataBody[T any] struct {
	decode   func([]byte) (T, error)
	nullable bool
	value    T
}

// UnmarshalJSON decodes the envelope and its value.
func (b *dataBody[T]) UnmarshalJSON(data []byte) error {
	var env struct {
		Data bodySlice `json:"data"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return err
	}
	raw := bytes.TrimSpace(env.Data)
	switch {
	case len(raw) == 0:
		return errNoData
	case string(raw) == "null":
		if !b.nullable {
			return errors.New("data is null")
		}
		return nil
	}
	v, err := b.decode(raw)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	b.value = v
	return nil
}

// bodySlice is a json.RawMessage that refers to the decoder's input rather
// than copying it, so that the data member of an envelope, which is nearly
// the whole body, is not held twice. It is only for the envelopes above:
// decodeJSON hands json.Unmarshal a body read for that one call and never
// reused, which is what makes keeping a reference safe.
type bodySlice []byte

// UnmarshalJSON keeps data without copying it.
func (s *bodySlice) UnmarshalJSON(data []byte) error {
	*s = data
	return nil
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
