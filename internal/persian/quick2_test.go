package persian
import "os"
func os_ReadFile(p string) (string, error) { b, err := os.ReadFile(p); return string(b), err }
