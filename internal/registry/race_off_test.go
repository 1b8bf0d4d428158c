//go:build !race

package registry

// raceEnabled says the tests run under the race detector, where loading the world takes minutes.
const raceEnabled = false
