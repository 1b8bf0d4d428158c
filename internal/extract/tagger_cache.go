package extract

import "sync"

// vecCache is wordVec's cache shared by every document: word type key →
// typeVec, an open-addressing table of keys (half full at most) over the
// vectors stored densely. A lookup reads a key array that fits the
// processor's second-level cache, then one vector; a Go map of 140-byte
// values cost twice as much.
type vecCache struct {
	mu   sync.RWMutex
	keys []uint64 // 0: empty
	at   []int32  // index in vals of the key's vector
	vals []typeVec
}

// vecCacheSlots is the size of the key table: twice maxCachedWords.
const vecCacheSlots = 2 * maxCachedWords

// get copies the vector of key into v.
func (c *vecCache) get(key uint64, v *typeVec) bool {
	if key == 0 {
		return false
	}
	c.mu.RLock()
	found := false
	if c.keys != nil {
		for i := key & (vecCacheSlots - 1); ; i = (i + 1) & (vecCacheSlots - 1) {
			if k := c.keys[i]; k == key {
				*v, found = c.vals[c.at[i]], true
				break
			} else if k == 0 {
				break
			}
		}
	}
	c.mu.RUnlock()
	return found
}

// put stores the vector of key unless the cache is full.
func (c *vecCache) put(key uint64, v *typeVec) {
	if key == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil {
		c.keys, c.at = make([]uint64, vecCacheSlots), make([]int32, vecCacheSlots)
		c.vals = make([]typeVec, 0, 1<<12)
	}
	if len(c.vals) >= maxCachedWords {
		return
	}
	for i := key & (vecCacheSlots - 1); ; i = (i + 1) & (vecCacheSlots - 1) {
		switch c.keys[i] {
		case key:
			return // another document put it meanwhile
		case 0:
			c.keys[i], c.at[i] = key, int32(len(c.vals))
			c.vals = append(c.vals, *v)
			return
		}
	}
}
