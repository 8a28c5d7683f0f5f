package geo

import (
	"math"
	"testing"
)

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 14.08, -87.20, 14.08, -87.20, 0},
		{"Tegucigalpa to Dhaka", 14.0818, -87.2068, 23.8103, 90.4125, 15760},
		{"Istanbul to Ankara", 41.0, 29.0, 39.9, 32.8, 344},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DistanceKm(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(got-tt.want) > tt.want*0.02+1 {
				t.Errorf("DistanceKm = %.0f, want about %.0f", got, tt.want)
			}
		})
	}
}

func TestCountryNames(t *testing.T) {
	if got := CountryName("BD"); got != "Bangladesh" {
		t.Errorf("CountryName(BD) = %q", got)
	}
	if got := CountryName("neu"); got != "neu" {
		t.Errorf("CountryName(neu) = %q, want the input back", got)
	}
	for in, want := range map[string]string{
		"Honduras": "HN", "hn": "HN", "Spain": "ES", "Atlantis": "", "": "",
	} {
		if got := CountryCode(in); got != want {
			t.Errorf("CountryCode(%q) = %q, want %q", in, got, want)
		}
	}
}
