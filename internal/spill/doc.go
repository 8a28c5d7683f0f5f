// Package spill puts sign-ins and audits that arrive in any order into time
// order while holding a bounded amount of them in memory.
//
// A Sorter keeps records in memory until their estimated size passes its
// budget, then sorts them and writes them to a run file in a temporary
// folder (gob-encoded, only the fields the stream decoded). Each merges the
// runs and what is still in memory and hands the records over one at a
// time, earliest first. Memory is then the budget plus one buffered record
// per run, whatever the size of the input; disk holds every record once
// while the merge lasts (twice while an extra pass merges groups of runs,
// when there are more than MaxFanIn of them).
//
// The order is total, so shuffled input gives the same sequence: time,
// then sign-ins before audits, then id, file and ordinal (ingest's Read
// sorts the same way).
package spill
