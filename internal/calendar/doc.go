// Package calendar converts, parses and formats dates written in the Jalali
// (Solar Hijri), Gregorian and tabular Islamic (lunar Hijri) calendars.
//
// A PartialDate keeps a date as it was written (a year, a month or a day in
// its own calendar) together with the Gregorian interval it covers, so that
// «سال ۱۳۹۷» can be stored as written and still be compared with 2018-05-01.
//
// Jalali conversion uses Borkowski's algorithm (the one in jalaali-js and
// go-jalaali). Its leap years equal the official Iranian Calendar Center table
// for 1206–1498 AP, and it agrees with the pure 33-year rule for 1178–1633 AP.
// It is defined for 1–3177 AP here; dates outside 1206–1498 AP are exact with
// respect to the algorithm but have no official counterpart. The Birashk
// 2820-year rule is deliberately not used: it is wrong for all of 1404 AP.
//
// Lunar Hijri dates use the arithmetic (tabular) Islamic calendar with the
// civil epoch (Friday 16 July 622 Julian) and leap years 2, 5, 7, 10, 13, 16,
// 18, 21, 24, 26, 29 of each 30-year cycle. Observed and Umm al-Qura dates can
// differ from it by one or two days.
//
// Of the project it imports only persian, for its digits.
package calendar
