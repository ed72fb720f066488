package inputschema

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// $ref and allOf: a field's schema is the merge of what its references and
// allOf members say, and every key remembers the pointer of the object that
// supplied it, so each field is validated at its own place in the document.

// resolveRefs expands $ref and allOf on node (found at ptr) and returns the
// merged schema plus, per key, the pointer of the object that supplied it
// (children's pointers are built from it), and the $ref targets it
// expanded. refs lists the refs followed so far for this one node, to catch
// pure $ref cycles.
func (b *builder) resolveRefs(node *jobj, ptr string, refs []string) (*jobj, map[string]string, []string, error) {
	merged := newJobj()
	src := map[string]string{}
	var followed []string
	if ref, ok := node.get("$ref"); ok {
		refStr, ok := ref.(string)
		if !ok {
			return nil, nil, nil, fmt.Errorf("$ref at %s is not a string", displayPtr(ptr))
		}
		target, tptr, err := b.lookupRef(refStr, ptr)
		if err != nil {
			return nil, nil, nil, err
		}
		if contains(refs, tptr) {
			return nil, nil, nil, fmt.Errorf("circular $ref %q at %s: %s", refStr, displayPtr(ptr), strings.Join(append(refs, tptr), " -> "))
		}
		if b.active[tptr] {
			return nil, nil, nil, errRecursive
		}
		if len(refs) > 64 {
			return nil, nil, nil, fmt.Errorf("$ref chain too long at %s", displayPtr(ptr))
		}
		tm, tsrc, trefs, err := b.resolveRefs(target, tptr, append(refs, tptr))
		if err != nil {
			return nil, nil, nil, err
		}
		followed = append(append(followed, tptr), trefs...)
		mergeInto(merged, src, tm, tsrc)
	}
	if all := node.arr("allOf"); len(all) > 0 {
		for i, e := range all {
			eo, ok := e.(*jobj)
			if !ok {
				continue // true/false schemas: nothing to show
			}
			em, esrc, erefs, err := b.resolveRefs(eo, ptr+"/allOf/"+strconv.Itoa(i), refs)
			if err != nil {
				return nil, nil, nil, err
			}
			followed = append(followed, erefs...)
			mergeInto(merged, src, em, esrc)
		}
	}
	own := newJobj()
	ownSrc := map[string]string{}
	for _, k := range node.keys {
		if k == "$ref" || k == "allOf" {
			continue
		}
		own.set(k, node.vals[k])
		ownSrc[k] = ptr
	}
	mergeInto(merged, src, own, ownSrc)
	return merged, src, followed, nil
}

// mergeInto overlays add onto dst: later keys win, except that properties
// are concatenated and required lists unioned (allOf of several models).
func mergeInto(dst *jobj, dsrc map[string]string, add *jobj, asrc map[string]string) {
	for _, k := range add.keys {
		v := add.vals[k]
		switch k {
		case "properties":
			if prev := dst.obj(k); prev != nil {
				if ap, ok := v.(*jobj); ok {
					m := cloneShallow(prev)
					for _, pk := range ap.keys {
						m.set(pk, ap.vals[pk])
						// This property lives under the second source.
						dsrc["properties/"+pk] = asrc[k]
					}
					dst.set(k, m)
					continue
				}
			}
		case "required":
			if prev := dst.arr(k); prev != nil {
				if ar, ok := v.([]any); ok {
					u := append([]any(nil), prev...)
					for _, r := range ar {
						if !containsAny(u, r) {
							u = append(u, r)
						}
					}
					dst.set(k, u)
					continue
				}
			}
		}
		dst.set(k, v)
		dsrc[k] = asrc[k]
		if k == "properties" {
			for sk := range dsrc {
				if strings.HasPrefix(sk, "properties/") {
					delete(dsrc, sk)
				}
			}
		}
	}
	for sk, p := range asrc {
		if strings.HasPrefix(sk, "properties/") && add.has("properties") {
			dsrc[sk] = p
		}
	}
}

func (b *builder) lookupRef(ref, at string) (*jobj, string, error) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, "", fmt.Errorf("$ref %q at %s points outside the schema; only local references are supported", ref, displayPtr(at))
	}
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	v, err := lookupPointer(b.doc, frag)
	if err != nil {
		return nil, "", fmt.Errorf("$ref %q at %s not found in the schema (looked in definitions and $defs)", ref, displayPtr(at))
	}
	o, ok := v.(*jobj)
	if !ok {
		if bv, isBool := v.(bool); isBool {
			o = newJobj()
			if !bv {
				o.set("not", newJobj())
			}
			return o, frag, nil
		}
		return nil, "", fmt.Errorf("$ref %q at %s does not point to a schema", ref, displayPtr(at))
	}
	return o, frag, nil
}

// lookupPointer resolves a JSON pointer ("" or "/a/b") in the document.
func lookupPointer(doc *jobj, ptr string) (any, error) {
	if ptr == "" {
		return doc, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("not a JSON pointer: %q", ptr)
	}
	var cur any = doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch t := cur.(type) {
		case *jobj:
			v, ok := t.get(tok)
			if !ok {
				return nil, fmt.Errorf("no %q", tok)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil, fmt.Errorf("no index %q", tok)
			}
			cur = t[i]
		default:
			return nil, fmt.Errorf("cannot descend into %q", tok)
		}
	}
	return cur, nil
}

func escPtr(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func displayPtr(p string) string {
	if p == "" {
		return "the root"
	}
	return "#" + p
}

// enter marks refs active and returns the function that clears them.
func (b *builder) enter(refs []string) func() {
	var added []string
	for _, r := range refs {
		if !b.active[r] {
			b.active[r] = true
			added = append(added, r)
		}
	}
	return func() {
		for _, r := range added {
			delete(b.active, r)
		}
	}
}

// fixRefFallbacks rewrites "#/definitions/X" to "#/$defs/X" (and back) when
// only the other one exists, as ui-v2 does, so form and validator agree.
func fixRefFallbacks(root *jobj) {
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxJSONDepth {
			return
		}
		switch t := v.(type) {
		case *jobj:
			if ref, ok := t.vals["$ref"].(string); ok {
				for _, pair := range [][2]string{{"#/definitions/", "#/$defs/"}, {"#/$defs/", "#/definitions/"}} {
					if name, ok := strings.CutPrefix(ref, pair[0]); ok {
						if _, err := lookupPointer(root, ref[1:]); err != nil {
							if _, err := lookupPointer(root, pair[1][1:]+name); err == nil {
								t.vals["$ref"] = pair[1] + name
							}
						}
					}
				}
			}
			for _, k := range t.keys {
				walk(t.vals[k], depth+1)
			}
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		}
	}
	walk(root, 0)
}
