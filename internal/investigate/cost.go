package investigate

import (
	_ "embed"
	"fmt"
	"github.com/idtriage/idtriage/internal/jsonx"
	"math"
	"time"
)

// costModelJSON holds the manual-effort model with the reasoning behind
// each number; it is data, not code, so a team can change it.
//
//go:embed costmodel.json
var costModelJSON []byte

// CostModel is the estimate of the same work by hand.
type CostModel struct {
	Name                 string  `json:"name"`
	MinutesPerQuery      float64 `json:"minutesPerQuery"`
	MinutesPerPivot      float64 `json:"minutesPerPivot"`
	MinutesPerEnrichment float64 `json:"minutesPerEnrichment"`
	MinutesPerFinding    float64 `json:"minutesPerFinding"`
	MinutesFixed         float64 `json:"minutesFixed"`
	HourlyCostUSD        float64 `json:"hourlyCostUsd"`
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
