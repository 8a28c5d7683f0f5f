package investigate

import (
	_ "embed"
	"fmt"
	"math"
	"time"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// costModelJSON holds the manual-effort model with the reasoning behind
// each number; it is data, not code, so a team can change it.
//
//go:embed costmodel.json
var costModelJSON []byte

// CostModel is the estimate of the same work by hand. Each number has a
// Why beside it in the file, so the file explains itself; the Why fields
// are read and kept but never change the estimate.
type CostModel struct {
	Name                 string  `json:"name"`
	Why                  string  `json:"why,omitempty"`
	MinutesPerQuery      float64 `json:"minutesPerQuery"`
	QueriesWhy           string  `json:"queriesWhy,omitempty"`
	MinutesPerPivot      float64 `json:"minutesPerPivot"`
	PivotsWhy            string  `json:"pivotsWhy,omitempty"`
	MinutesPerEnrichment float64 `json:"minutesPerEnrichment"`
	EnrichmentsWhy       string  `json:"enrichmentsWhy,omitempty"`
	MinutesPerFinding    float64 `json:"minutesPerFinding"`
	FindingsWhy          string  `json:"findingsWhy,omitempty"`
	MinutesFixed         float64 `json:"minutesFixed"`
	FixedWhy             string  `json:"fixedWhy,omitempty"`
	HourlyCostUSD        float64 `json:"hourlyCostUsd"`
	CostWhy              string  `json:"costWhy,omitempty"`
}

// maxCostValue bounds every number of a cost model: ten thousand minutes
// per step, or ten thousand dollars an hour.
const maxCostValue = 10000

// Validate reports a model that cannot price a case: no name, or a
// negative, non-finite or absurdly large number.
func (m CostModel) Validate() error {
	if m.Name == "" {
		return &fieldError{key: "name", msg: "name is empty"}
	}
	for _, f := range []struct {
		key string
		v   float64
	}{
		{"minutesPerQuery", m.MinutesPerQuery}, {"minutesPerPivot", m.MinutesPerPivot},
		{"minutesPerEnrichment", m.MinutesPerEnrichment},
		{"minutesPerFinding", m.MinutesPerFinding}, {"minutesFixed", m.MinutesFixed},
		{"hourlyCostUsd", m.HourlyCostUSD},
	} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return &fieldError{key: f.key,
				msg: fmt.Sprintf("%s is %v; want a number of zero or more", f.key, f.v)}
		}
		// Minutes of a week per step, or a million dollars an hour, are no
		// model; far beyond them the estimate overflows to +Inf.
		if f.v > maxCostValue {
			return &fieldError{key: f.key, msg: fmt.Sprintf("%s is %v; want at most %v",
				f.key, f.v, float64(maxCostValue))}
		}
	}
	return nil
}

// Reprice replaces the manual estimate of c with one by model m, keeping
// the wall time, records and sources of the run.
func (c *Case) Reprice(m CostModel) {
	wall := c.Cost.WallTime
	c.Cost = estimate(m, c, c.Sources.used(), wall)
}

// DefaultCostModel returns the embedded model.
func DefaultCostModel() (CostModel, error) {
	var m CostModel
	if err := jsonx.Unmarshal(costModelJSON, &m); err != nil {
		return m, fmt.Errorf("read embedded cost model: %w", err)
	}
	return m, nil
}

// estimate prices the case by hand: one query per step and per source, one
// pivot per pivot, one lookup per address, one write-up per finding.
func estimate(m CostModel, c *Case, sources int, wall time.Duration) Cost {
	queries := float64(len(c.Findings) + sources)
	minutes := m.MinutesFixed + queries*m.MinutesPerQuery +
		float64(len(c.Pivots))*m.MinutesPerPivot +
		float64(len(c.IPs))*m.MinutesPerEnrichment +
		float64(len(c.Findings))*m.MinutesPerFinding
	read := c.Sources.SignIns + c.Sources.Audits + c.Sources.RiskDetections +
		c.Sources.RiskyUsers + c.Sources.Users + c.Sources.IPIntel
	return Cost{
		WallTime: wall, WallTimeMS: float64(wall.Microseconds()) / 1000,
		RecordsRead: read, Sources: sources, ManualMinutes: minutes,
		ManualCost: math.Round(minutes/60*m.HourlyCostUSD*100) / 100, Model: m.Name,
	}
}
