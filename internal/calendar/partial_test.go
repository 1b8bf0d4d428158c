package calendar

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cal   Calendar
		in    string
		want  PartialDate
		code  string // expected error code, "" for success
		extra string // a word the error text must contain
	}{
		{cal: Jalali, in: "1397", want: PartialDate{Jalali, "1397", Year, "2018-03-21", "2019-03-20"}},
		{cal: Jalali, in: "1400-04-30", want: PartialDate{Jalali, "1400-04-30", Day, "2021-07-21", "2021-07-21"}},
		{cal: Jalali, in: "1400/4/30", want: PartialDate{Jalali, "1400-04-30", Day, "2021-07-21", "2021-07-21"}},
		{cal: Jalali, in: "۱۴۰۰/۰۴/۳۰", want: PartialDate{Jalali, "1400-04-30", Day, "2021-07-21", "2021-07-21"}},
		{cal: Jalali, in: "١٤٠٠-٤-٣٠", want: PartialDate{Jalali, "1400-04-30", Day, "2021-07-21", "2021-07-21"}},
		{cal: Jalali, in: " \u200f۱۳۹۷\u00a0 ", want: PartialDate{Jalali, "1397", Year, "2018-03-21", "2019-03-20"}},
		{cal: Jalali, in: "1400 / 04 / 30", want: PartialDate{Jalali, "1400-04-30", Day, "2021-07-21", "2021-07-21"}},
		{cal: Jalali, in: "1400-04", want: PartialDate{Jalali, "1400-04", Month, "2021-06-22", "2021-07-22"}},
		{cal: Jalali, in: "1403-12", want: PartialDate{Jalali, "1403-12", Month, "2025-02-19", "2025-03-20"}},
		{cal: Jalali, in: "1404-12", want: PartialDate{Jalali, "1404-12", Month, "2026-02-20", "2026-03-20"}},
		{cal: Jalali, in: "1403", want: PartialDate{Jalali, "1403", Year, "2024-03-20", "2025-03-20"}},
		{cal: Gregorian, in: "2021-10", want: PartialDate{Gregorian, "2021-10", Month, "2021-10-01", "2021-10-31"}},
		{cal: Gregorian, in: "2024-02", want: PartialDate{Gregorian, "2024-02", Month, "2024-02-01", "2024-02-29"}},
		{cal: Gregorian, in: "2021", want: PartialDate{Gregorian, "2021", Year, "2021-01-01", "2021-12-31"}},
		{cal: Gregorian, in: "800", want: PartialDate{Gregorian, "0800", Year, "0800-01-01", "0800-12-31"}},
		{cal: Hijri, in: "1446-01-01", want: PartialDate{Hijri, "1446-01-01", Day, "2024-07-08", "2024-07-08"}},
		{cal: Hijri, in: "1446", want: PartialDate{Hijri, "1446", Year, "2024-07-08", "2025-06-26"}},
		{cal: Jalali, in: "1404-12-30", code: CodeDateInvalid, extra: "29 days"},
		{cal: Jalali, in: "1393/07/31", code: CodeDateInvalid},
		{cal: Jalali, in: "1400-13", code: CodeDateInvalid},
		{cal: Jalali, in: "1400-00-01", code: CodeDateInvalid},
		{cal: Gregorian, in: "2023-02-29", code: CodeDateInvalid},
		{cal: Jalali, in: "0", code: CodeDateRange},
		{cal: Jalali, in: "3178", code: CodeDateRange},
		{cal: Hijri, in: "2001", code: CodeDateRange},
		{cal: Gregorian, in: "0000-01-01", code: CodeDateRange},
		{cal: Jalali, in: "", code: CodeDateSyntax},
		{cal: Jalali, in: "garbage", code: CodeDateSyntax},
		{cal: Jalali, in: "1400-04-30-1", code: CodeDateSyntax},
		{cal: Jalali, in: "1400/04-30", code: CodeDateSyntax},
		{cal: Jalali, in: "1400--30", code: CodeDateSyntax},
		{cal: Jalali, in: "14000", code: CodeDateSyntax},
		{cal: Jalali, in: "1400-004", code: CodeDateSyntax},
		{cal: Jalali, in: "-1400", code: CodeDateSyntax},
		{cal: Jalali, in: "30/04/1400", code: CodeDateSyntax},
		{cal: Jalali, in: "1400.04.30", code: CodeDateSyntax},
		{cal: Jalali, in: "+1400", code: CodeDateSyntax},
		{cal: "persian", in: "1400", code: CodeCalendarUnknown},
		{cal: "", in: "1400", code: CodeCalendarUnknown},
	}
	for _, tt := range tests {
		got, err := Parse(tt.cal, tt.in)
		if code := errorCode(err); code != tt.code {
			t.Errorf("Parse(%s, %q) error %v, want code %q", tt.cal, tt.in, err, tt.code)
			continue
		}
		if err != nil {
			e := err.(*Error)
			if tt.code != CodeCalendarUnknown && e.Value != tt.in {
				t.Errorf("Parse(%s, %q): Error.Value = %q", tt.cal, tt.in, e.Value)
			}
			if !strings.Contains(err.Error(), tt.extra) {
				t.Errorf("Parse(%s, %q): error %q lacks %q", tt.cal, tt.in, err, tt.extra)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%s, %q) = %+v, want %+v", tt.cal, tt.in, got, tt.want)
		}
	}
}

func TestComplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want PartialDate
		code string
	}{
		{in: `{"calendar":"jalali","value":"1400-04-30"}`,
			want: PartialDate{Jalali, "1400-04-30", Day, "2021-07-21", "2021-07-21"}},
		{in: `{"calendar":"jalali","value":"1397","precision":"year","start":"1999-01-01","end":"1999-01-01"}`,
			want: PartialDate{Jalali, "1397", Year, "2018-03-21", "2019-03-20"}},
		{in: `{"calendar":"gregorian","value":"2021-10"}`,
			want: PartialDate{Gregorian, "2021-10", Month, "2021-10-01", "2021-10-31"}},
		{in: `{"calendar":"jalali","value":"۱۳۹۷"}`,
			want: PartialDate{Jalali, "1397", Year, "2018-03-21", "2019-03-20"}},
		{in: `{}`, want: PartialDate{}},
		{in: `{"calendar":"jalali","value":"1397","precision":"day"}`, code: CodeDateSyntax},
		{in: `{"calendar":"jalali","value":"1397","precision":"week"}`, code: CodeDateSyntax},
		{in: `{"calendar":"jalali"}`, code: CodeDateSyntax},
		{in: `{"value":"1397"}`, code: CodeCalendarUnknown},
		{in: `{"calendar":"jalali","value":"1404-12-30"}`, code: CodeDateInvalid},
	}
	for _, tt := range tests {
		var d PartialDate
		if err := json.Unmarshal([]byte(tt.in), &d); err != nil {
			t.Fatal(err)
		}
		got, err := d.Complete()
		if code := errorCode(err); code != tt.code {
			t.Errorf("Complete(%s) error %v, want code %q", tt.in, err, tt.code)
			continue
		}
		if got != tt.want {
			t.Errorf("Complete(%s) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	d, err := Parse(Jalali, "1397")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(d)
	want := `{"calendar":"jalali","value":"1397","precision":"year","start":"2018-03-21","end":"2019-03-20"}`
	if string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
}

func TestFromTime(t *testing.T) {
	t.Parallel()
	tehran := time.FixedZone("IRST", 3*3600+1800)
	tests := []struct {
		t    time.Time
		cal  Calendar
		p    Precision
		want string // Value; "" for the zero PartialDate
	}{
		{time.Date(2021, 7, 21, 12, 0, 0, 0, time.UTC), Jalali, Day, "1400-04-30"},
		{time.Date(2021, 7, 21, 12, 0, 0, 0, time.UTC), Jalali, Month, "1400-04"},
		{time.Date(2021, 7, 21, 12, 0, 0, 0, time.UTC), Jalali, Year, "1400"},
		{time.Date(2021, 7, 21, 12, 0, 0, 0, time.UTC), Gregorian, Month, "2021-07"},
		{time.Date(2024, 7, 8, 0, 0, 0, 0, time.UTC), Hijri, Day, "1446-01-01"},
		// 22:00 UTC on 2025-03-20 is already Nowruz 1404 in Tehran.
		{time.Date(2025, 3, 20, 22, 0, 0, 0, time.UTC).In(tehran), Jalali, Day, "1404-01-01"},
		{time.Date(2025, 3, 20, 22, 0, 0, 0, time.UTC), Jalali, Day, "1403-12-30"},
		{time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC), "julian", Day, ""},
		{time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC), Jalali, "week", ""},
		{time.Date(500, 1, 1, 0, 0, 0, 0, time.UTC), Jalali, Day, ""},
	}
	for _, tt := range tests {
		got := FromTime(tt.t, tt.cal, tt.p)
		if got.Value != tt.want {
			t.Errorf("FromTime(%v, %s, %s) = %+v, want value %q", tt.t, tt.cal, tt.p, got, tt.want)
		}
		if tt.want != "" {
			if p, err := Parse(tt.cal, tt.want); err != nil || p != got {
				t.Errorf("FromTime(%v, %s, %s) = %+v, Parse gives %+v, %v", tt.t, tt.cal, tt.p, got, p, err)
			}
		}
	}
}

func TestIntervalHelpers(t *testing.T) {
	t.Parallel()
	mustParse := func(cal Calendar, v string) PartialDate {
		d, err := Parse(cal, v)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	y1397 := mustParse(Jalali, "1397")
	esfand96 := mustParse(Jalali, "1396-12")
	may2018 := mustParse(Gregorian, "2018-05")
	farvardin97 := mustParse(Jalali, "1397-01-01")
	y1398 := mustParse(Jalali, "1398")

	if !esfand96.Before(y1397) || y1397.Before(esfand96) || y1397.Before(y1398) != true {
		t.Error("Before is wrong")
	}
	if !y1397.Overlaps(may2018) || !may2018.Overlaps(y1397) || y1397.Overlaps(y1398) || esfand96.Overlaps(y1397) {
		t.Error("Overlaps is wrong")
	}
	if esfand96.Compare(y1397) != -1 || farvardin97.Compare(y1397) != -1 || y1397.Compare(may2018) != -1 ||
		y1397.Compare(y1397) != 0 || y1398.Compare(y1397) != 1 {
		t.Error("Compare is wrong")
	}
	if got := y1397.StartTime(); !got.Equal(time.Date(2018, 3, 21, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("StartTime = %v", got)
	}
	if got := y1397.EndTime(); !got.Equal(time.Date(2019, 3, 21, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("EndTime = %v", got)
	}
	if !(PartialDate{}).StartTime().IsZero() || !(PartialDate{}).IsZero() || y1397.IsZero() {
		t.Error("zero handling is wrong")
	}
	if y, m, d := mustParse(Jalali, "1400-04").Fields(); y != 1400 || m != 4 || d != 0 {
		t.Errorf("Fields = %d, %d, %d", y, m, d)
	}
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Code: CodeCalendarUnknown, Value: "julian"}, `calendar: unknown calendar "julian" (want jalali, gregorian or hijri)`},
		{&Error{Code: CodeDateSyntax, Value: "x"}, `calendar: malformed date "x" (want YYYY, YYYY-MM or YYYY-MM-DD)`},
		{&Error{Code: CodeDateInvalid, Value: "1404-12-30", Detail: "Esfand 1404 has 29 days"}, `calendar: no such date "1404-12-30": Esfand 1404 has 29 days`},
		{&Error{Code: CodeDateRange, Value: "5000"}, `calendar: date "5000" is outside the supported years`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1397", "1400-04-30", "1400/4/30", "۱۴۰۰/۰۴/۳۰", "١٤٠٠", " 2021-10 ", "1404-12-30", "x", "", "9999-12-31", "1-1-1"} {
		f.Add("jalali", s)
		f.Add("gregorian", s)
		f.Add("hijri", s)
	}
	f.Fuzz(func(t *testing.T, cal, value string) {
		d, err := Parse(Calendar(cal), value)
		if err != nil {
			if errorCode(err) == "" || strings.HasPrefix(errorCode(err), "untyped") {
				t.Fatalf("Parse(%q, %q): error %v is not a *Error", cal, value, err)
			}
			return
		}
		if d.Start == "" || d.End == "" || d.Start > d.End {
			t.Fatalf("Parse(%q, %q) = %+v: bad interval", cal, value, d)
		}
		again, err := Parse(d.Calendar, d.Value)
		if err != nil || again != d {
			t.Fatalf("Parse(%q, %q) = %+v; re-parse gives %+v, %v", cal, value, d, again, err)
		}
		if c, err := (PartialDate{Calendar: d.Calendar, Value: d.Value, Precision: d.Precision}).Complete(); err != nil || c != d {
			t.Fatalf("Complete of %+v = %+v, %v", d, c, err)
		}
		_ = Format(d, "fa") + FormatAlt(d, "fa") + Format(d, "en") + FormatAlt(d, "en")
	})
}

func FuzzJalaliRoundTrip(f *testing.F) {
	f.Add(1400, 4, 30)
	f.Add(1403, 12, 30)
	f.Add(1404, 12, 30)
	f.Add(1, 1, 1)
	f.Add(3177, 12, 29)
	f.Fuzz(func(t *testing.T, jy, jm, jd int) {
		gy, gm, gd, err := JalaliToGregorian(jy, jm, jd)
		if (err == nil) != IsValidJalali(jy, jm, jd) {
			t.Fatalf("JalaliToGregorian(%d,%d,%d) error %v, IsValidJalali %v", jy, jm, jd, err, IsValidJalali(jy, jm, jd))
		}
		if err != nil {
			return
		}
		ry, rm, rd, err := GregorianToJalali(gy, gm, gd)
		if err != nil || ry != jy || rm != jm || rd != jd {
			t.Fatalf("%d/%d/%d → %d-%d-%d → %d/%d/%d, %v", jy, jm, jd, gy, gm, gd, ry, rm, rd, err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(Jalali, "۱۴۰۰/۰۴/۳۰"); err != nil {
			b.Fatal(err)
		}
	}
}
