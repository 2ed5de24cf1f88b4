// Command history-check judges a history recorded by load.mjs (see docs/history.md): each todo's calls
// must be linearizable (porcupine, one partition per todo, against the model of one todo in model.go),
// each same-etag race must have at most one winner, and the event log folded from position 1 must hold
// every acknowledged write exactly once and end at the final todos.
//
//	history-check -history history.json -out DIR
//
// Writes DIR/<todo id>.html (porcupine's visualization) for each partition that is not linearizable,
// prints one line per finding, and exits 1 when there is any.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

// Op is one recorded call, as load.mjs writes it.
type Op struct {
	Client   int    `json:"client"`
	Kind     string `json:"kind"` // create, get, update, delete
	ID       string `json:"id"`
	Etag     int64  `json:"etag"`
	Title    string `json:"title"`
	Call     int64  `json:"call"`
	Ret      int64  `json:"ret"`
	Outcome  string `json:"outcome"` // ok, not_found, mismatch, exists, invalid, indefinite
	Code     string `json:"code"`
	Details  string `json:"details"`
	Version  int64  `json:"version"`
	GotTitle string `json:"gotTitle"`
}

// Event is one event of the log.
type Event struct {
	Position int64  `json:"position"`
	ID       string `json:"id"`
	Version  int64  `json:"version"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
}

// Final is a todo as the last reads found it.
type Final struct {
	Exists  bool   `json:"exists"`
	Version int64  `json:"version"`
	Title   string `json:"title"`
	Unknown string `json:"unknown"`
}

type History struct {
	Config struct {
		IDs []string `json:"ids"`
	} `json:"config"`
	LoadEnd     int64            `json:"loadEnd"`
	Ops         []Op             `json:"ops"`
	Final       map[string]Final `json:"final"`
	Events      []Event          `json:"events"`
	LogComplete bool             `json:"logComplete"`
}

var findings []string

func report(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	findings = append(findings, line)
	fmt.Println("FAIL " + line)
}

func describeOp(op Op) string {
	s := fmt.Sprintf("client %d %s", op.Client, op.Kind)
	if op.Kind == "update" || op.Kind == "delete" {
		s += fmt.Sprintf(" etag %d", op.Etag)
	}
	if op.Title != "" {
		s += fmt.Sprintf(" title %q", op.Title)
	}
	s += fmt.Sprintf(" [%.3f s, %.3f s] -> %s", float64(op.Call)/1e9, float64(op.Ret)/1e9, op.Outcome)
	if op.Outcome == "ok" && op.Kind != "delete" {
		s += fmt.Sprintf(" version %d %q", op.Version, op.GotTitle)
	}
	if op.Code != "" {
		s += " (" + op.Code + ")"
	}
	return s
}

func main() {
	historyPath := flag.String("history", "", "the history JSON that load.mjs wrote")
	outDir := flag.String("out", "", "where to write visualizations of failing partitions (default: beside the history)")
	timeout := flag.Duration("timeout", 60*time.Second, "how long porcupine may search one partition")
	flag.Parse()
	if *historyPath == "" {
		fmt.Fprintln(os.Stderr, "history-check: -history is required")
		os.Exit(2)
	}
	if *outDir == "" {
		*outDir = filepath.Dir(*historyPath)
	}
	raw, err := os.ReadFile(*historyPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "history-check:", err)
		os.Exit(2)
	}
	var h History
	if err := json.Unmarshal(raw, &h); err != nil {
		fmt.Fprintln(os.Stderr, "history-check: the history is not JSON load.mjs wrote:", err)
		os.Exit(2)
	}

	counts := map[string]int{}
	for _, op := range h.Ops {
		counts[op.Outcome]++
		if op.Outcome == "invalid" {
			report("the harness sent a request the daemon called invalid: %s: %s", describeOp(op), op.Details)
		}
	}
	fmt.Printf("history: %d calls (%d ok, %d not found, %d etag mismatch, %d already exists, %d indefinite), %d events\n",
		len(h.Ops), counts["ok"], counts["not_found"], counts["mismatch"], counts["exists"], counts["indefinite"], len(h.Events))

	checkLinearizable(h, *outDir, *timeout)
	checkRaces(h)
	checkLog(h)

	if len(findings) > 0 {
		fmt.Printf("NOT OK: %d findings\n", len(findings))
		os.Exit(1)
	}
	fmt.Println("OK: every todo's history is linearizable, no same-etag race has two winners, the log matches")
}

// checkLinearizable runs porcupine on each todo's calls. A call with an indefinite outcome may take
// effect at any time after its invocation: its return is the end of time, and a read whose outcome is
// unknown tells nothing, so it is left out.
func checkLinearizable(h History, outDir string, timeout time.Duration) {
	var end int64
	for _, op := range h.Ops {
		if op.Ret > end {
			end = op.Ret
		}
	}
	end++
	byID := map[string][]porcupine.Operation{}
	for _, op := range h.Ops {
		if op.Outcome == "invalid" || (op.Kind == "get" && op.Outcome == "indefinite") {
			continue
		}
		ret := op.Ret
		if op.Outcome == "indefinite" {
			ret = end
		}
		byID[op.ID] = append(byID[op.ID], porcupine.Operation{ClientId: op.Client, Input: op, Call: op.Call, Output: op, Return: ret})
	}
	model := todoModel.ToModel()
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	ok := 0
	for _, id := range ids {
		result, info := porcupine.CheckOperationsVerbose(model, byID[id], timeout)
		switch result {
		case porcupine.Ok:
			ok++
		case porcupine.Unknown:
			report("todo %s: porcupine did not finish within %s (%d calls): linearizability unknown", id, timeout, len(byID[id]))
		case porcupine.Illegal:
			path := filepath.Join(outDir, id+".html")
			if err := porcupine.VisualizePath(model, info, path); err != nil {
				path = "(visualization failed: " + err.Error() + ")"
			}
			report("todo %s: not linearizable (%d calls); open %s", id, len(byID[id]), path)
			printLongestLinearization(id, byID[id], info)
		}
	}
	fmt.Printf("linearizable: %d of %d todos\n", ok, len(ids))
}

// printLongestLinearization names the call that no order can place: the first call outside the longest
// prefix porcupine could linearize, and the prefix's last few calls.
func printLongestLinearization(id string, ops []porcupine.Operation, info porcupine.LinearizationInfo) {
	partials := info.PartialLinearizations()
	if len(partials) == 0 {
		return
	}
	var longest []int
	for _, partition := range partials {
		for _, lin := range partition {
			if len(lin) > len(longest) {
				longest = lin
			}
		}
	}
	in := map[int]bool{}
	for _, i := range longest {
		in[i] = true
	}
	fmt.Printf("  todo %s: longest linearizable prefix, %d calls; its last:\n", id, len(longest))
	for _, i := range longest[max(0, len(longest)-4):] {
		fmt.Printf("    %s\n", describeOp(ops[i].Input.(Op)))
	}
	// The calls that no extension of it can place: those returned earliest among the rest.
	var rest []Op
	for i, op := range ops {
		if !in[i] {
			rest = append(rest, op.Input.(Op))
		}
	}
	sort.Slice(rest, func(a, b int) bool { return rest[a].Ret < rest[b].Ret })
	fmt.Printf("  then none of these fits:\n")
	for _, op := range rest[:min(4, len(rest))] {
		fmt.Printf("    %s\n", describeOp(op))
	}
}

// checkRaces: writes with the same etag to the same todo (or creates answered with the same version), of
// which at most one may succeed.
func checkRaces(h History) {
	winners := map[string][]Op{}
	races := map[string]int{}
	for _, op := range h.Ops {
		var key string
		switch {
		case op.Kind == "update" || op.Kind == "delete":
			key = fmt.Sprintf("%s etag %d", op.ID, op.Etag)
		case op.Kind == "create" && op.Outcome == "ok":
			// Creates name no etag: two that answer the same version both claimed it.
			key = fmt.Sprintf("%s create at version %d", op.ID, op.Version)
		default:
			continue
		}
		races[key]++
		if op.Outcome == "ok" {
			winners[key] = append(winners[key], op)
		}
	}
	contested := 0
	for _, n := range races {
		if n > 1 {
			contested++
		}
	}
	keys := make([]string, 0, len(winners))
	for key := range winners {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if len(winners[key]) > 1 {
			report("todo %s: %d writes succeeded where at most one may:", key, len(winners[key]))
			for _, op := range winners[key] {
				fmt.Printf("    %s\n", describeOp(op))
			}
		}
	}
	fmt.Printf("same-etag writes: %d etags written by more than one call\n", contested)
}

// checkLog folds the log from position 1 and compares it with the acknowledged writes and the final todos.
func checkLog(h History) {
	events := append([]Event(nil), h.Events...)
	sort.Slice(events, func(a, b int) bool { return events[a].Position < events[b].Position })
	for i, e := range events {
		if e.Position != int64(i+1) {
			report("the log's positions are not 1, 2, 3, …: position %d is event %d (%s version %d)", e.Position, i+1, e.ID, e.Version)
			break
		}
	}
	if !h.LogComplete {
		fmt.Println("note: the log did not come to hold every acknowledged write before the reader gave up")
	}
	// Fold per todo: versions consecutive, kinds in an order a todo can go through.
	type folded struct {
		exists  bool
		version int64
		title   string
	}
	state := map[string]*folded{}
	seen := map[string][]Event{}
	for _, e := range events {
		key := fmt.Sprintf("%s/%d", e.ID, e.Version)
		seen[key] = append(seen[key], e)
		s := state[e.ID]
		if s == nil {
			s = &folded{}
			state[e.ID] = s
		}
		if e.Version != s.version+1 && e.Kind != "reminder_due" {
			report("todo %s: the log goes from version %d to %d at position %d (%s)", e.ID, s.version, e.Version, e.Position, e.Kind)
		}
		switch e.Kind {
		case "created":
			if s.exists {
				report("todo %s: created again at version %d (position %d) while it existed", e.ID, e.Version, e.Position)
			}
			*s = folded{true, e.Version, e.Title}
		case "updated":
			if !s.exists {
				report("todo %s: updated at version %d (position %d) while it did not exist", e.ID, e.Version, e.Position)
			}
			*s = folded{true, e.Version, e.Title}
		case "deleted":
			if !s.exists {
				report("todo %s: deleted at version %d (position %d) while it did not exist", e.ID, e.Version, e.Position)
			}
			*s = folded{false, e.Version, ""}
		}
	}
	for key, es := range seen {
		if len(es) > 1 {
			report("todo %s: %d events at one version (positions %d and %d): %s %q and %s %q", key, len(es), es[0].Position, es[1].Position, es[0].Kind, es[0].Title, es[1].Kind, es[1].Title)
		}
	}
	// Every acknowledged write's event, exactly once and as answered.
	missing := 0
	for _, op := range h.Ops {
		if op.Outcome != "ok" || op.Kind == "get" {
			continue
		}
		version, kind := op.Version, map[string]string{"create": "created", "update": "updated", "delete": "deleted"}[op.Kind]
		if op.Kind == "delete" {
			version = op.Etag + 1
		}
		es := seen[fmt.Sprintf("%s/%d", op.ID, version)]
		matched := 0
		for _, e := range es {
			if e.Kind == kind && (op.Kind == "delete" || e.Title == op.Title) {
				matched++
			}
		}
		if matched != 1 {
			missing++
			if missing <= 10 {
				report("todo %s: an acknowledged write has %d events at version %d: %s", op.ID, matched, version, describeOp(op))
			}
		}
	}
	if missing > 10 {
		report("… and %d more acknowledged writes without exactly one event", missing-10)
	}
	// Every event is some call's: an acknowledged one, or one whose outcome was unknown.
	titles := map[string]bool{}
	for _, op := range h.Ops {
		if op.Kind == "create" || op.Kind == "update" {
			titles[op.ID+"/"+op.Title] = true
		}
	}
	for _, e := range events {
		if (e.Kind == "created" || e.Kind == "updated") && !titles[e.ID+"/"+e.Title] {
			report("todo %s: event at position %d (%s version %d) writes %q, which no call sent", e.ID, e.Position, e.Kind, e.Version, e.Title)
		}
	}
	// The log folded equals the final todos.
	for _, id := range h.Config.IDs {
		f, ok := h.Final[id]
		if !ok || f.Unknown != "" {
			report("todo %s: its final state could not be read (%s)", id, f.Unknown)
			continue
		}
		s := state[id]
		if s == nil {
			s = &folded{}
		}
		if s.exists != f.Exists || (f.Exists && (s.version != f.Version || s.title != f.Title)) {
			report("todo %s: the log folds to %s but the store has %s", id, describeFolded(s.exists, s.version, s.title), describeFolded(f.Exists, f.Version, f.Title))
		}
	}
}

func describeFolded(exists bool, version int64, title string) string {
	if !exists {
		return "no todo"
	}
	return fmt.Sprintf("version %d %q", version, title)
}
