package models

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A byte that is no character of Windows-1252 (0x81, 0x8D, 0x8F, 0x90,
// 0x9D) in a file read as Windows-1252, detected or stated, is an error at
// its line and column: the decoder turned it into U+FFFD, so that a visit
// id "v2\x81" was read as "v2\uFFFD" without a word on the old code, and
// "v2\x81" and "v2\x8d" became one id. Beside it, every other byte of
// 0x80–0xFF still reads as its character.
func TestCSVUndefinedWindows1252Bytes(t *testing.T) {
	header := "id;brukare;utf\xf6rare;starttid;sluttid;insatser;attesterad\n"
	good := "v1;k1;egen;2024-04-03 08:00;2024-04-03 08:30;Dusch;ja\n"
	for _, enc := range []Encoding{EncodingDetect, EncodingWindows1252} {
		for _, b := range []byte{0x81, 0x8d, 0x8f, 0x90, 0x9d} {
			t.Run(fmt.Sprintf("%v/%#02x", enc, b), func(t *testing.T) {
				in := header + good + "v2" + string([]byte{b}) + ";k1;egen;2024-04-03 09:00;2024-04-03 09:30;Dusch;ja\n"
				vs, err := ReadVisitsCSVWith(strings.NewReader(in), CSVOptions{File: "cp.csv", Location: stockholm, Encoding: enc})
				var ie *InputError
				if !errors.As(err, &ie) || ie.File != "cp.csv" || ie.Line != 3 || ie.Column != 3 ||
					!strings.Contains(err.Error(), fmt.Sprintf("byte %#02x is no character of Windows-1252", b)) {
					t.Fatalf("visits %v, error %v; want one at cp.csv:3:3 naming byte %#02x", vs, err, b)
				}
			})
		}
		// Every byte that is a character reads, in an ignored column.
		var all strings.Builder
		for b := 0x80; b <= 0xff; b++ {
			if !undefined1252(byte(b)) && b != 0xa0 {
				all.WriteByte(byte(b))
			}
		}
		in := header[:len(header)-1] + ";anteckning\n" + good[:len(good)-1] + ";" + all.String() + "\n"
		vs, err := ReadVisitsCSVWith(strings.NewReader(in), CSVOptions{File: "cp.csv", Location: stockholm, Encoding: enc})
		if err != nil || len(vs) != 1 {
			t.Errorf("%v: %d visits, %v", enc, len(vs), err)
		}
	}
}

// A file detected as Windows-1252 only past the detection window (ASCII
// before) names an undefined byte at its line and column too.
func TestCSVUndefinedWindows1252ByteLate(t *testing.T) {
	in := "id;customer;provider;start;end;tasks\n" + strings.Repeat("B1;K1;P1;2024-04-02 08:00;2024-04-02 08:30;Dusch\n", 1500) +
		"B2;K1;P1;2024-04-02 08:00;2024-04-02 08:30;St\xe4d\x81\n"
	_, err := ReadVisitsCSVWith(strings.NewReader(in), CSVOptions{File: "cp.csv", Location: stockholm, Approved: ApprovalAll})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Line != 1502 || ie.Column != 48 || !strings.Contains(err.Error(), "byte 0x81 is no character of Windows-1252") {
		t.Fatalf("%v; want an error at cp.csv:1502:48 (S, t, ä, d, then the byte) naming byte 0x81", err)
	}
}
