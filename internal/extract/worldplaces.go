package extract

// worldPlaces are named places that are neither cities nor countries, in
// their usual Persian press spellings, added to regions by category (every
// state of the United States, every province of Afghanistan, the
// constituent countries of the United Kingdom, seas, straits, rivers,
// lakes, mountain ranges, historical states and regions, Iran's plains,
// wetlands and ancient sites). They are geographic facts, listed whole
// for each category rather than picked from any corpus's errors; their
// coverage was measured on ParsTwiNER's training and dev splits only
// (TestLocCoverage). Names that are far more often common words or
// people's names («مین», «کبک», «دنا», «گنگ», «شام», Ghor's «غور») are left out.
var worldPlaces = []struct {
	kind, country string
	names         []string
}{
	// The United States' states (those the gazetteer has as cities —
	// New York, Washington — stay cities; California, Florida, Texas are
	// in regions).
	{"province", "US", []string{"آلاباما", "Alabama"}}, {"province", "US", []string{"آلاسکا", "Alaska"}},
	{"province", "US", []string{"آریزونا", "Arizona"}}, {"province", "US", []string{"آرکانزاس", "Arkansas"}},
	{"province", "US", []string{"کلرادو", "Colorado"}}, {"province", "US", []string{"کنتیکت", "کانتیکت", "کنتیکات", "Connecticut"}},
	{"province", "US", []string{"دلاور", "Delaware"}}, {"province", "US", []string{"جورجیا", "Georgia (U.S. state)"}},
	{"province", "US", []string{"هاوایی", "Hawaii"}}, {"province", "US", []string{"آیداهو", "Idaho"}},
	{"province", "US", []string{"ایلینوی", "ایلی‌نوی", "ایلینویز", "ایلی‌نویز", "Illinois"}}, {"province", "US", []string{"ایندیانا", "Indiana"}},
	{"province", "US", []string{"آیووا", "Iowa"}}, {"province", "US", []string{"کانزاس", "Kansas"}},
	{"province", "US", []string{"کنتاکی", "Kentucky"}}, {"province", "US", []string{"لوئیزیانا", "لوییزیانا", "Louisiana"}},
	{"province", "US", []string{"مریلند", "مری‌لند", "Maryland"}}, {"province", "US", []string{"ماساچوست", "Massachusetts"}},
	{"province", "US", []string{"میشیگان", "Michigan"}}, {"province", "US", []string{"مینه‌سوتا", "مینسوتا", "Minnesota"}},
	{"province", "US", []string{"میسیسیپی", "می‌سی‌سی‌پی", "Mississippi"}}, {"province", "US", []string{"میزوری", "Missouri"}},
	{"province", "US", []string{"مونتانا", "Montana"}}, {"province", "US", []string{"نبراسکا", "Nebraska"}},
	{"province", "US", []string{"نوادا", "Nevada"}}, {"province", "US", []string{"نیوهمپشایر", "New Hampshire"}},
	{"province", "US", []string{"نیوجرسی", "نیوجرزی", "New Jersey"}}, {"province", "US", []string{"نیومکزیکو", "New Mexico"}},
	{"province", "US", []string{"کارولینای شمالی", "کارولینا شمالی", "North Carolina"}},
	{"province", "US", []string{"کارولینای جنوبی", "کارولینا جنوبی", "South Carolina"}},
	{"province", "US", []string{"داکوتای شمالی", "North Dakota"}}, {"province", "US", []string{"داکوتای جنوبی", "South Dakota"}},
	{"province", "US", []string{"اوهایو", "Ohio"}}, {"province", "US", []string{"اوکلاهما", "اوکلاهاما", "Oklahoma"}},
	{"province", "US", []string{"اورگن", "اورگان", "Oregon"}}, {"province", "US", []string{"پنسیلوانیا", "پنسیلوانیا", "Pennsylvania"}},
	{"province", "US", []string{"رود آیلند", "Rhode Island"}}, {"province", "US", []string{"تنسی", "Tennessee"}},
	{"province", "US", []string{"یوتا", "Utah"}}, {"province", "US", []string{"ورمونت", "Vermont"}},
	{"province", "US", []string{"ویرجینیا", "Virginia"}}, {"province", "US", []string{"ویرجینیای غربی", "West Virginia"}},
	{"province", "US", []string{"ویسکانسین", "ویسکانسن", "ویسکونسین", "Wisconsin"}}, {"province", "US", []string{"وایومینگ", "Wyoming"}},
	{"region", "US", []string{"نیوانگلند", "New England"}}, {"region", "US", []string{"هالیوود", "Hollywood"}},
	{"region", "US", []string{"سیلیکون ولی", "Silicon Valley"}},
	// Afghanistan's provinces (those named like their capital — Herat,
	// Kabul, Kandahar, Balkh… — are cities of the gazetteer).
	{"province", "AF", []string{"بدخشان", "Badakhshan"}}, {"province", "AF", []string{"بادغیس", "Badghis"}},
	{"province", "AF", []string{"بغلان", "Baghlan"}}, {"province", "AF", []string{"دایکندی", "Daykundi"}},
	{"province", "AF", []string{"فاریاب", "Faryab"}}, {"province", "AF", []string{"هلمند", "Helmand"}},
	{"province", "AF", []string{"جوزجان", "Jowzjan"}}, {"province", "AF", []string{"کاپیسا", "Kapisa"}},
	{"province", "AF", []string{"کنر", "Kunar"}}, {"province", "AF", []string{"لغمان", "Laghman"}},
	{"province", "AF", []string{"لوگر", "Logar"}}, {"province", "AF", []string{"ننگرهار", "Nangarhar"}},
	{"province", "AF", []string{"نیمروز", "Nimruz"}}, {"province", "AF", []string{"نورستان", "Nuristan"}},
	{"province", "AF", []string{"ارزگان", "اروزگان", "Uruzgan"}}, {"province", "AF", []string{"پکتیا", "Paktia"}},
	{"province", "AF", []string{"پکتیکا", "Paktika"}}, {"province", "AF", []string{"پنجشیر", "Panjshir"}},
	{"province", "AF", []string{"پروان", "Parwan"}}, {"province", "AF", []string{"سمنگان", "Samangan"}},
	{"province", "AF", []string{"تخار", "Takhar"}}, {"province", "AF", []string{"وردک", "میدان وردک", "Wardak"}},
	// Iraq's governorates not named like their capital.
	{"province", "IQ", []string{"نینوا", "نینوی", "Nineveh"}}, {"province", "IQ", []string{"الانبار", "Al Anbar"}},
	{"province", "IQ", []string{"دیاله", "Diyala"}}, {"province", "IQ", []string{"ذی‌قار", "ذیقار", "Dhi Qar"}},
	{"province", "IQ", []string{"میسان", "Maysan"}},
	// The United Kingdom's countries, and other regions of countries.
	{"province", "GB", []string{"اسکاتلند", "Scotland"}}, {"province", "GB", []string{"ولز", "Wales"}},
	{"province", "GB", []string{"ایرلند شمالی", "Northern Ireland"}},
	{"province", "RU", []string{"سیبری", "سیبریه", "Siberia"}}, {"province", "RU", []string{"چچن", "چچنی", "Chechnya"}},
	{"province", "RU", []string{"داغستان", "Dagestan"}}, {"province", "RU", []string{"تاتارستان", "Tatarstan"}},
	{"province", "RU", []string{"کامچاتکا", "Kamchatka"}},
	{"province", "CN", []string{"تبت", "Tibet"}}, {"province", "CN", []string{"سین‌کیانگ", "سین کیانگ", "شین‌جیانگ", "سین‌جیانگ", "Xinjiang"}},
	{"province", "TR", []string{"آناتولی", "Anatolia"}}, {"province", "IT", []string{"سیسیل", "Sicily"}},
	{"province", "IT", []string{"ساردینیا", "Sardinia"}}, {"province", "IT", []string{"توسکانی", "Tuscany"}},
	{"province", "IT", []string{"لمباردی", "Lombardy"}}, {"province", "FR", []string{"نورماندی", "Normandy"}},
	{"province", "FR", []string{"آلزاس", "Alsace"}}, {"province", "DE", []string{"باواریا", "بایرن", "Bavaria"}},
	{"province", "", []string{"پنجاب", "Punjab"}}, {"province", "", []string{"بنگال", "Bengal"}},
	{"province", "", []string{"باسک", "Basque Country"}}, {"province", "", []string{"پاتاگونیا", "Patagonia"}},
	{"province", "", []string{"کردستان عراق", "Iraqi Kurdistan"}},
	// Historical states and regions.
	{"region", "", []string{"یوگسلاوی", "یوگوسلاوی", "Yugoslavia"}}, {"region", "", []string{"چکسلواکی", "Czechoslovakia"}},
	{"region", "", []string{"آلمان شرقی", "East Germany"}}, {"region", "", []string{"آلمان غربی", "West Germany"}},
	{"region", "", []string{"بین‌النهرین", "بین النهرین", "Mesopotamia"}}, {"region", "", []string{"شامات", "Levant"}},
	{"region", "", []string{"فرارود"}}, {"region", "", []string{"بالتیک", "Baltic"}},
	{"region", "", []string{"اروپای شرقی", "Eastern Europe"}}, {"region", "", []string{"اروپای غربی", "Western Europe"}},
	{"region", "", []string{"اروپای مرکزی", "Central Europe"}}, {"region", "", []string{"آسیای شرقی", "East Asia"}},
	{"region", "", []string{"آسیای جنوب شرقی", "جنوب شرق آسیا", "Southeast Asia"}}, {"region", "", []string{"خاور دور", "Far East"}},
	{"region", "", []string{"شمال آفریقا", "شمال افریقا", "North Africa"}}, {"region", "", []string{"شاخ آفریقا", "Horn of Africa"}},
	{"region", "", []string{"آمریکای مرکزی", "Central America"}}, {"region", "", []string{"کارائیب", "Caribbean"}},
	{"region", "", []string{"شبه‌جزیره کره", "Korean Peninsula"}}, {"region", "", []string{"شبه‌جزیره عربستان", "Arabian Peninsula"}},
	{"region", "", []string{"شبه‌جزیره بالکان"}}, {"region", "", []string{"قطب شمال", "شمالگان", "Arctic"}},
	{"region", "", []string{"قطب جنوب", "جنوبگان", "Antarctica"}},
	// Mountain ranges and peaks.
	{"region", "", []string{"هیمالیا", "Himalayas"}}, {"region", "", []string{"آلپ", "Alps"}},
	{"region", "", []string{"آند", "کوه‌های آند", "Andes"}}, {"region", "", []string{"اورال", "Ural Mountains"}},
	{"region", "", []string{"کوه‌های راکی", "Rocky Mountains"}}, {"region", "", []string{"اورست", "Everest"}},
	{"region", "", []string{"کلیمانجارو", "Kilimanjaro"}}, {"region", "IR", []string{"زاگرس", "Zagros"}},
	{"region", "IR", []string{"سبلان", "Sabalan"}}, {"region", "IR", []string{"الوند", "Alvand"}},
	{"region", "IR", []string{"تفتان", "Taftan"}}, {"region", "IR", []string{"قله دماوند", "کوه دماوند", "Mount Damavand"}},
	// Iran's plains, deserts, wetlands and regions.
	{"region", "IR", []string{"دشت مغان", "مغان", "Moghan"}}, {"region", "IR", []string{"ترکمن صحرا", "Turkmen Sahra"}},
	{"region", "IR", []string{"تالش", "Talysh"}}, {"region", "IR", []string{"ارسباران", "Arasbaran"}},
	{"region", "IR", []string{"میانکاله", "Miankaleh"}}, {"region", "IR", []string{"چهارمحال"}},
	{"region", "IR", []string{"کویر لوت", "دشت لوت", "Lut Desert"}}, {"region", "IR", []string{"دشت کویر", "Dasht-e Kavir"}},
	{"region", "IR", []string{"پارس جنوبی", "South Pars"}},
	// Ancient sites.
	{"region", "IR", []string{"تخت جمشید", "Persepolis"}}, {"region", "IR", []string{"پاسارگاد", "Pasargadae"}},
	{"region", "IR", []string{"نقش رستم", "Naqsh-e Rostam"}}, {"region", "IR", []string{"چغازنبیل", "Chogha Zanbil"}},
	{"region", "IR", []string{"بیستون", "Behistun"}},
	// Seas, gulfs, straits, canals.
	{"water", "", []string{"دریای سیاه", "Black Sea"}}, {"water", "", []string{"دریای بالتیک", "Baltic Sea"}},
	{"water", "", []string{"دریای شمال", "North Sea"}}, {"water", "", []string{"دریای اژه", "Aegean Sea"}},
	{"water", "", []string{"دریای عرب", "Arabian Sea"}}, {"water", "", []string{"دریای چین جنوبی", "South China Sea"}},
	{"water", "", []string{"دریای چین شرقی", "East China Sea"}}, {"water", "", []string{"دریای ژاپن", "Sea of Japan"}},
	{"water", "", []string{"دریای بارنتز", "Barents Sea"}}, {"water", "", []string{"دریای کارائیب", "Caribbean Sea"}},
	{"water", "", []string{"دریای آدریاتیک", "آدریاتیک", "Adriatic Sea"}}, {"water", "", []string{"دریای مرده", "Dead Sea"}},
	{"water", "", []string{"خلیج عدن", "Gulf of Aden"}}, {"water", "", []string{"خلیج مکزیک", "Gulf of Mexico"}},
	{"water", "", []string{"خلیج بنگال", "Bay of Bengal"}}, {"water", "", []string{"باب‌المندب", "تنگه باب‌المندب", "Bab-el-Mandeb"}},
	{"water", "", []string{"کانال سوئز", "Suez Canal"}}, {"water", "", []string{"کانال پاناما", "Panama Canal"}},
	{"water", "", []string{"بسفر", "تنگه بسفر", "Bosphorus"}}, {"water", "", []string{"داردانل", "تنگه داردانل", "Dardanelles"}},
	{"water", "", []string{"تنگه جبل‌الطارق", "Strait of Gibraltar"}},
	{"water", "", []string{"اقیانوس منجمد شمالی", "Arctic Ocean"}}, {"water", "", []string{"اقیانوس منجمد جنوبی", "Southern Ocean"}},
	{"water", "", []string{"آتلانتیک", "اقیانوس آتلانتیک"}},
	// Rivers and lakes.
	{"water", "", []string{"دجله", "Tigris"}}, {"water", "", []string{"فرات", "Euphrates"}},
	{"water", "", []string{"رود نیل", "رودخانه نیل", "Nile"}}, {"water", "", []string{"ولگا", "Volga"}},
	{"water", "", []string{"دانوب", "Danube"}}, {"water", "", []string{"راین", "Rhine"}},
	{"water", "", []string{"تیمز", "Thames"}}, {"water", "", []string{"یانگتسه", "Yangtze"}},
	{"water", "", []string{"جیحون"}}, {"water", "", []string{"سیحون"}},
	{"water", "", []string{"دریاچه بایکال", "بایکال", "Lake Baikal"}}, {"water", "", []string{"دریاچه وان", "Lake Van"}},
	{"water", "IR", []string{"اروندرود", "اروند رود", "اروند", "Arvand Rud", "Shatt al-Arab"}},
	{"water", "IR", []string{"هیرمند", "Helmand River"}}, {"water", "", []string{"هریرود", "Harirud"}},
	{"water", "IR", []string{"سفیدرود", "سپیدرود", "Sefidrud"}}, {"water", "IR", []string{"ارس", "رود ارس", "رودخانه ارس", "Aras"}},
	{"water", "IR", []string{"کرخه", "Karkheh"}}, {"water", "IR", []string{"هراز", "Haraz"}},
	{"water", "IR", []string{"بهمنشیر", "بهمن‌شیر"}},
	{"water", "IR", []string{"دریاچه ارومیه", "Lake Urmia"}}, {"water", "IR", []string{"تالاب انزلی", "Anzali Lagoon"}},
	{"water", "IR", []string{"هامون", "دریاچه هامون", "تالاب هامون", "Hamun"}}, {"water", "IR", []string{"بختگان", "دریاچه بختگان"}},
	{"water", "IR", []string{"گاوخونی", "تالاب گاوخونی", "Gavkhouni"}}, {"water", "IR", []string{"شادگان", "تالاب شادگان"}},
	{"water", "IR", []string{"هورالعظیم", "هور العظیم"}},
	// Islands.
	{"region", "IR", []string{"خارک", "جزیره خارک", "Kharg"}}, {"region", "IR", []string{"ابوموسی", "جزیره ابوموسی", "Abu Musa"}},
	{"region", "IR", []string{"تنب بزرگ", "Greater Tunb"}}, {"region", "IR", []string{"تنب کوچک", "Lesser Tunb"}},
	{"region", "", []string{"جاوه", "Java"}}, {"region", "", []string{"سوماترا", "Sumatra"}},
	{"region", "", []string{"بورنئو", "Borneo"}}, {"region", "", []string{"جزیره کرت", "Crete"}},
}
