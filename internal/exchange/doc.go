// Package exchange moves registry data in and out in bulk: it imports CSV, XLSX, JSON Lines
// and Wikidata query results, and exports CSV, JSON Lines, GeoJSON, GraphML and iCalendar.
//
// # Import
//
// Import runs in one store transaction: everything is written or, when any row has a
// problem, nothing, and the report lists every problem with its row and column
// (`row 14, column "signed": «1404/12/30» does not exist in the Jalali calendar`). A process
// killed half-way leaves the registry as it was. A dry run does all the work and rolls back.
//
// Cities are matched in order by Wikidata id; by internal id (only when the city there has the
// same country, Wikidata id and a shared name, since ids are local to one registry); by the
// NameKey of any name or alias within the country (a namesake farther than 50 km, or with
// another Wikidata id, is another city). An unmatched city is created; it needs a country or a
// Wikidata id. Agreements are matched by their unordered city pair. Merging follows one rule:
// the registry wins. What it lacks (a date, a name in a language, coordinates) is taken from
// the file; lists (domains, sources, aliases) gain what they miss; a status or date the file
// contradicts stays as it is, and the file's value is kept as a twin.Claim citing the file.
// Dates compare by the days they cover: a more precise date inside the registry's refines it.
// So importing the same file twice changes nothing the second time. The report counts the
// records the file names, each once.
//
// # Tabular format (CSV, XLSX)
//
// One row per agreement, under a header: the first of the first ten non-blank rows that names
// both cities, so that a title (merged across the columns), a note or a blank row above it is
// left out. CSV is UTF-8 with or without a byte-order mark (or UTF-16 with one), separated by
// commas, semicolons or tabs (the one with which a row reads as a header, else the one the
// first line uses most); XLSX is the workbook's first sheet. Rows are counted as a spreadsheet
// shows them. Headers may be written in English or Persian; case,
// spaces, underscores, ZWNJ and Arabic letter variants do not matter. Unknown columns are
// ignored. Columns (Persian spellings in «»):
//
//	city_a, city_b              «شهر الف», «شهر ب»       the city's name (its language by script:
//	                                                      Arabic → fa, Latin → en)
//	city_a_<lang>, city_b_<lang>                          a name in a language: city_a_fa, city_b_uz-Cyrl
//	city_a_country, …           «کشور الف», «کشور ب»     ISO 3166 code or country name (any language)
//	city_a_wikidata, …          «ویکی‌داده الف»           Q42053 or its Wikidata URL
//	city_a_id, …                «شناسه الف»              internal id (an export's; see matching)
//	city_a_lat, city_a_lon, …   «عرض/طول جغرافیایی الف»   WGS 84 degrees
//	city_a_coord, …             «مختصات الف»             Point(lon lat) or "lat, lon"
//	city_a_population, …        «جمعیت الف»              whole number (1,234,567 and 1.234.567 too)
//	kind                        «نوع»                    sister, friendship, cooperation, contact
//	                                                      (or خواهرخواندگی, دوستی, همکاری, ارتباط)
//	status                      «وضعیت»                  proposed, negotiating, signed, suspended,
//	                                                      ended, rejected (or پیشنهادی, امضا شده, ...);
//	                                                      default: ended with an end date, proposed with
//	                                                      only a proposal date, else signed
//	signed, proposed, ended     «تاریخ امضا», «تاریخ پیشنهاد», «تاریخ پایان»
//	                                                      YYYY, YYYY-MM or YYYY-MM-DD (or with /), any
//	                                                      digits; an XLSX date cell is Gregorian
//	signed_calendar, proposed_calendar, ended_calendar
//	                            «تقویم», «تقویم پیشنهاد», «تقویم پایان»
//	                                                      jalali, gregorian or hijri (شمسی, میلادی,
//	                                                      قمری); default: years 1206–1498 are Jalali,
//	                                                      others Gregorian
//	domains                     «حوزه‌ها»                codes or names of cooperation domains,
//	                                                      separated by ; ، , or |
//	source_url                  «منبع»                   http(s) URLs separated by spaces
//	note                        «یادداشت»                a note (its language by script)
//
// Wikidata query results (the CSV of query.wikidata.org, or the JSON form of a SPARQL
// result) are the same table under the query's variable names: city and sister (entity URLs),
// cityLabel and sisterLabel, city_population, city_coordinate_location (Point(lon lat)), and
// optional city_country_code; item/twin/partner spellings work too. Labels keep the language
// SPARQL JSON gives them (xml:lang); CSV labels are names of unknown language ("und") for new
// cities and aliases otherwise. A pair of one item with itself is skipped.
//
// # JSON Lines
//
// {"type":"city","record":{...}} per line, the bundled dataset's format (dataset.Decode)
// extended with institution, person, link, activity and proposal. Records keep their ids
// where the registry has them free; references follow the records they point at.
//
// # Export
//
// Gather reads the whole registry or one city's neighbourhood; WriteCSV, WriteJSONL,
// WriteGeoJSON, WriteGraphML and WriteICS (or Write by format name) write it; WriteReport
// also says what the file holds and what the format could not (an ExportReport). The JSON Lines
// export leaves out versions and timestamps, so exporting, importing into an empty registry
// and exporting again gives the same bytes.
package exchange
