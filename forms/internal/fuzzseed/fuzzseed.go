// Package fuzzseed is the seed corpus shared by the fuzz targets of package
// inputschema (schema logic) and package forms (widgets built on the same
// bytes): the captured real schemas plus hand-made hostile ones. It imports
// nothing of unpause, so inputschema's own tests can use it.
package fuzzseed

import (
	"os"
	"path/filepath"
)

// hostile are schemas no pydantic model produces but a server could store:
// cycles, mixed draft keywords, tuple items, odd types, catastrophic patterns,
// a schema double-encoded as a string, extreme bounds.
var hostile = []string{
	`{"type":"object","properties":{"a":{"$ref":"#"}}}`,
	`{"$ref":"#/definitions/A","definitions":{"A":{"type":"object","properties":{"x":{"$ref":"#/definitions/A"}}}}}`,
	`{"type":"object","properties":{"a":{"allOf":[{"$ref":"#/$defs/B"},{"$ref":"#/definitions/C"}]}},"$defs":{"B":{"enum":[1]}},"definitions":{"C":{"type":"integer"}}}`,
	`{"type":"object","properties":{"t":{"type":"array","items":[{"type":"integer"},{"enum":["a","b"]}]},"u":{"type":["string","null","integer"]}}}`,
	`{"type":"object","properties":{"a":{"anyOf":[{"type":"null"}]},"b":{"oneOf":[{"const":1},{"const":"x"}]},"c":true,"d":false}}`,
	`{"type":"object","properties":{"p":{"type":"string","pattern":"(a+)+$","minLength":-1,"maxLength":1e99}}}`,
	`"{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"string\"}}}"`,
	`{"type":"object","properties":{"n":{"type":"number","multipleOf":0.1,"minimum":-1e308}}}`,
}

// Schemas returns every *.json file in corpusDir, then the hostile schemas.
func Schemas(corpusDir string) ([][]byte, error) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(files)+len(hostile))
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, raw)
	}
	for _, s := range hostile {
		out = append(out, []byte(s))
	}
	return out, nil
}
