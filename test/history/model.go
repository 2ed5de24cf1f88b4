package main

import (
	"fmt"

	"github.com/anishathalye/porcupine"
)

// Todo is the model's state of one todo: absent, or present at a version with a title. Ver is the last
// version the id used, also while absent: a delete's event takes the deleted version plus one, and an
// id created again continues after it (docs/events.md, guarantee 3).
type Todo struct {
	Exists bool
	Ver    int64
	Title  string
}

// step gives the states a todo can be in after op, as the daemon documents each call (proto/todo/v1/todo.proto):
// an empty slice when op's outcome is impossible from s. A call whose outcome is unknown may or may
// not have happened: both states follow.
func step(s Todo, op Op) []Todo {
	var applied *Todo // the state after op, if it can happen from s
	switch op.Kind {
	case "create": // with a client-chosen id: ALREADY_EXISTS when a todo has it
		if !s.Exists {
			applied = &Todo{true, s.Ver + 1, op.Title}
		}
		switch op.Outcome {
		case "ok":
			if applied != nil && op.Version == applied.Ver && op.GotTitle == op.Title {
				return []Todo{*applied}
			}
		case "exists":
			if s.Exists {
				return []Todo{s}
			}
		}
	case "get":
		switch op.Outcome {
		case "ok":
			if s.Exists && s.Ver == op.Version && s.Title == op.GotTitle {
				return []Todo{s}
			}
		case "not_found":
			if !s.Exists {
				return []Todo{s}
			}
		}
		return nil
	case "update", "delete": // with an etag: FAILED_PRECONDITION, changing nothing, unless it is the todo's version
		if s.Exists && s.Ver == op.Etag {
			if op.Kind == "update" {
				applied = &Todo{true, s.Ver + 1, op.Title}
			} else {
				applied = &Todo{false, s.Ver + 1, ""}
			}
		}
		switch op.Outcome {
		case "ok":
			if applied != nil && (op.Kind == "delete" || (op.Version == applied.Ver && op.GotTitle == op.Title)) {
				return []Todo{*applied}
			}
		case "mismatch":
			if s.Exists && s.Ver != op.Etag {
				return []Todo{s}
			}
		case "not_found":
			if !s.Exists {
				return []Todo{s}
			}
		}
	}
	if op.Outcome == "indefinite" {
		if applied != nil {
			return []Todo{s, *applied}
		}
		return []Todo{s}
	}
	return nil
}

var todoModel = porcupine.NondeterministicModel{
	Init: func() []interface{} { return []interface{}{Todo{}} },
	Step: func(state, input, output interface{}) []interface{} {
		var next []interface{}
		for _, t := range step(state.(Todo), output.(Op)) {
			next = append(next, t)
		}
		return next
	},
	DescribeOperation: func(input, output interface{}) string { return describeOp(output.(Op)) },
	DescribeState: func(state interface{}) string {
		s := state.(Todo)
		if !s.Exists {
			return fmt.Sprintf("absent (last version %d)", s.Ver)
		}
		return fmt.Sprintf("v%d %q", s.Ver, s.Title)
	},
}
