package persian
import ("testing";"fmt")
func TestQuick(t *testing.T){
 for _, s := range []string{"سی و چهارمین","۱۳ خواهرخوانده","ششصد","شش صد","هزار و سیصد و نود و هفت","یک هزار و سیصد و نود و هفت","نخستین","سی‌ام","سی اُم","یکصد و پنجاهمین","یک میلیون و سی هزار","دو میلیارد و پانصد میلیون","هزار میلیارد","۲ هزار و ۵۰۰","۲/۵ میلیون","۲٫۵ میلیون","2.5 میلیون","۱٬۲۰۰ میلیارد","یک و نیم میلیون","دوازده هزار بیست دو","نهصد نود نه هزار نهصد نود نه","پانصد هزار و چهار صد و چهل و سه","چهارصد پنجاه هزار","سه هزار دویست و دوازده"} {
   v, o, ok := ParseNumber(s); fmt.Printf("%s → %v %v %v\n", s, int64(v), o, ok)
 }
 txt, _ := os_ReadFile("testdata/isfahan-samarkand.fa.txt")
 for _, m := range FindNumbers(txt) { fmt.Printf("%q %v %v %q\n", txt[m.Start:m.End], m.Value, m.Ordinal, m.Noun) }
}
