package ui

import "testing"

// TestLabelsKeptInsideFrame: a label near the frame's edge is moved in rather than cut by it
// (Kuala Lumpur at the east of Isfahan's map), and one in the middle stays centred over its dot.
func TestLabelsKeptInsideFrame(t *testing.T) {
	pts := []mapPoint{
		{Lon: 51.67, Lat: 32.65, Name: "Исфахан", Label: true},
		{Lon: 101.7, Lat: 3.15, Name: "Куала-Лумпур", Label: true},
		{Lon: -82.4, Lat: 23.1, Name: "Гавана", Label: true},
	}
	m := newMap("test", pts, [][2]int{{0, 1}, {0, 2}}, nil, true, 390)
	for _, set := range m.Labels {
		for _, tx := range set.Texts {
			w := float64(len([]rune(tx.Name))) * set.Font * 0.55
			if tx.X-w/2 < m.left || tx.X+w/2 > m.right {
				t.Errorf("width %d: %q spans %.1f..%.1f, outside the frame %.1f..%.1f", set.Width, tx.Name, tx.X-w/2, tx.X+w/2, m.left, m.right)
			}
		}
	}
	isf := m.Labels[0].Texts[0]
	for _, d := range m.Dots {
		if d.Name == "Исфахан" && isf.Name == d.Name && isf.X != d.X {
			t.Errorf("a label in the middle moved off its dot: %.1f, dot %.1f", isf.X, d.X)
		}
	}
}
