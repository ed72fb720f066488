package inputschema

// Prefect's server-side preprocessing of a run input schema, mirrored so
// that local validation agrees with the server's
// (src/prefect/utilities/schema_tools/validation.py).

// preprocess mirrors preprocess_schema: _fix_null_typing and
// _fix_tuple_items on the properties of the root, of inline nested objects
// and of "definitions" ("$defs" is not touched, as on the server).
func preprocess(root *jobj) {
	if props := root.obj("properties"); props != nil {
		processProperties(props, stringList(root.arr("required")))
	}
	if defs := root.obj("definitions"); defs != nil {
		for _, k := range defs.keys {
			if d, ok := defs.vals[k].(*jobj); ok {
				if props := d.obj("properties"); props != nil {
					processProperties(props, stringList(d.arr("required")))
				}
			}
		}
	}
}

func processProperties(props *jobj, required []string) {
	for _, k := range props.keys {
		sch, ok := props.vals[k].(*jobj)
		if !ok {
			continue
		}
		// _fix_null_typing: optional, typed, no default -> nullable.
		if t, hasType := sch.get("type"); hasType && !contains(required, k) && t != "null" && !sch.has("default") {
			sch.set("anyOf", []any{jobjOf("type", t), jobjOf("type", "null")})
			sch.del("type")
		}
		// _fix_tuple_items: list-form items -> prefixItems.
		if items, ok := sch.get("items"); ok {
			if list, ok := items.([]any); ok && len(list) > 0 && !truthy(sch, "prefixItems") {
				sch.set("prefixItems", cloneTree(list))
				sch.del("items")
			}
		}
		if p := sch.obj("properties"); p != nil {
			processProperties(p, stringList(sch.arr("required")))
		}
	}
}

func truthy(o *jobj, k string) bool {
	v, ok := o.get(k)
	if !ok || v == nil {
		return false
	}
	switch t := v.(type) {
	case []any:
		return len(t) > 0
	case bool:
		return t
	case string:
		return t != ""
	case *jobj:
		return len(t.keys) > 0
	}
	return true
}

func jobjOf(kv ...any) *jobj {
	o := newJobj()
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}
