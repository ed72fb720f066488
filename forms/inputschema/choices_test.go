package inputschema

import (
	"reflect"
	"testing"
)

// animalSchema is what Prefect sends for pause_flow_run(wait_for_input=Animal)
// with Animal a str Enum (src/prefect/input/run_input.py,
// create_model_with_value_field / AutomaticRunInput).
const animalSchema = `{"$defs":{"Animal":{"enum":["pig","dog"],"title":"Animal","type":"string"}},"properties":{"value":{"$ref":"#/$defs/Animal"}},"required":["value"],"title":"AnimalAutomaticRunInput","type":"object"}`

func mustParse(t *testing.T, raw string) *Schema {
	t.Helper()
	s, err := ParseSchema([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestChoices(t *testing.T) {
	cases := []struct {
		name, schema string
		path         string
		want         []Choice
	}{
		{"enum", animalSchema, "value", []Choice{{"pig", "pig"}, {"dog", "dog"}}},
		{"bool", `{"properties":{"ok":{"type":"boolean"}},"type":"object"}`, "ok", []Choice{{"yes", true}, {"no", false}}},
		{"literal ints", `{"properties":{"n":{"enum":[1,2,3]}},"type":"object"}`, "n", []Choice{{"1", int64(1)}, {"2", int64(2)}, {"3", int64(3)}}},
		{"two fields", `{"properties":{"a":{"type":"boolean"},"b":{"type":"boolean"}},"type":"object"}`, "", nil},
		{"text", `{"properties":{"a":{"type":"string"}},"type":"object"}`, "", nil},
		{"ten members", `{"properties":{"a":{"enum":["0","1","2","3","4","5","6","7","8","9"]}},"type":"object"}`, "", nil},
		{"one member is a constant", `{"properties":{"a":{"enum":["x"]}},"type":"object"}`, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, got, ok := mustParse(t, c.schema).Choices()
			if ok != (c.want != nil) || path != c.path || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Choices() = %q %v %v, want %q %v", path, got, ok, c.path, c.want)
			}
		})
	}
}

func TestKeyIgnoresKeyOrderAndSpacing(t *testing.T) {
	a := mustParse(t, animalSchema).Key()
	b := mustParse(t, `{ "type": "object", "title": "AnimalAutomaticRunInput", "required": ["value"],
		"properties": {"value": {"$ref": "#/$defs/Animal"}}, "$defs": {"Animal": {"type": "string", "title": "Animal", "enum": ["pig", "dog"]}} }`).Key()
	c := mustParse(t, `{"$defs":{"Animal":{"enum":["pig","dog","cat"],"title":"Animal","type":"string"}},"properties":{"value":{"$ref":"#/$defs/Animal"}},"required":["value"],"title":"AnimalAutomaticRunInput","type":"object"}`).Key()
	if a == "" || a != b {
		t.Fatalf("same schema, keys %q and %q", a, b)
	}
	if a == c {
		t.Fatal("a schema with another member has the same key")
	}
}
