package twin

import (
	"bytes"
	"encoding/json"
)

// SameJSON reports whether two records serialize alike: an import or an accepted fact that
// would store what is stored already changes nothing. A record that cannot be serialized is
// never the same as another.
func SameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
