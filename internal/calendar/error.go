package calendar

import "fmt"

// Error codes carried by *Error. The HTTP layer maps them to messages and
// statuses; they are part of the API contract.
const (
	CodeCalendarUnknown = "calendar_unknown" // the calendar is not jalali, gregorian or hijri
	CodeDateSyntax      = "date_syntax"      // not YYYY, YYYY-MM or YYYY-MM-DD, or precision does not match
	CodeDateInvalid     = "date_invalid"     // no such month or day, e.g. 1404-12-30 jalali
	CodeDateRange       = "date_range"       // the year is outside the supported range
)

// Error is a date that cannot be accepted. Code is one of the Code* constants;
// Value is the offending input as given; Detail optionally explains it in English.
type Error struct {
	Code   string
	Value  string
	Detail string
}

// Error returns an English description of the problem.
func (e *Error) Error() string {
	var msg string
	switch e.Code {
	case CodeCalendarUnknown:
		msg = fmt.Sprintf("unknown calendar %q (want jalali, gregorian or hijri)", e.Value)
	case CodeDateSyntax:
		msg = fmt.Sprintf("malformed date %q (want YYYY, YYYY-MM or YYYY-MM-DD)", e.Value)
	case CodeDateInvalid:
		msg = fmt.Sprintf("no such date %q", e.Value)
	case CodeDateRange:
		msg = fmt.Sprintf("date %q is outside the supported years", e.Value)
	default:
		msg = fmt.Sprintf("bad date %q", e.Value)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return "calendar: " + msg
}

func errorf(code, value, format string, args ...any) *Error {
	return &Error{Code: code, Value: value, Detail: fmt.Sprintf(format, args...)}
}
