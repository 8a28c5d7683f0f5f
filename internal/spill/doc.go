// Package spill puts sign-ins, audits and risk detections that arrive in
// any order into time order while holding a bounded amount of them in
// memory. A risk detection's time is its activity time.
//
// A Sorter keeps records in memory until their estimated size passes its
// budget, then sorts them and writes them to a run file in a temporary
// folder (gob-encoded, only the fields the stream decoded). Each merges the
// runs and what is still in memory and hands the records over one at a
// time, earliest first. Memory is then the budget, or during the merge
// about two copies of the largest record for each run read at once (at
// most MaxFanIn, fewer when records are large against the budget),
// whatever the size of the input. Disk holds every record once while the
// merge lasts, and up to twice while an extra pass merges groups of runs.
//
// The order is time, then sign-ins, audits and risk detections in that
// order, then id, then the order
// in which records were added. Records of one time, kind and id (the rows
// of one sign-in, or one record read twice) thus come in the order read,
// as they do when a time-ordered input is streamed.
package spill
