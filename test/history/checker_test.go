package main

import (
	"testing"

	"github.com/anishathalye/porcupine"
)

// The model on small histories whose verdict is known, so the checker is seen to tell them apart.
func check(t *testing.T, ops ...Op) bool {
	t.Helper()
	var history []porcupine.Operation
	for _, op := range ops {
		ret := op.Ret
		if op.Outcome == "indefinite" {
			ret = 1 << 40
		}
		history = append(history, porcupine.Operation{ClientId: op.Client, Input: op, Call: op.Call, Output: op, Return: ret})
	}
	return porcupine.CheckOperations(todoModel.ToModel(), history)
}

const id = "0000000000000000a11ce000"

func create(client int, call, ret int64, title string, outcome string, version int64) Op {
	return Op{Client: client, Kind: "create", ID: id, Title: title, Call: call, Ret: ret, Outcome: outcome, Version: version, GotTitle: title}
}

func update(client int, call, ret int64, etag int64, title string, outcome string) Op {
	op := Op{Client: client, Kind: "update", ID: id, Etag: etag, Title: title, Call: call, Ret: ret, Outcome: outcome}
	if outcome == "ok" {
		op.Version, op.GotTitle = etag+1, title
	}
	return op
}

func get(client int, call, ret int64, outcome string, version int64, title string) Op {
	return Op{Client: client, Kind: "get", ID: id, Call: call, Ret: ret, Outcome: outcome, Version: version, GotTitle: title}
}

func TestConcurrentSameEtagUpdatesOneWinner(t *testing.T) {
	if !check(t, create(0, 0, 1, "a", "ok", 1), update(0, 2, 5, 1, "b", "ok"), update(1, 3, 6, 1, "c", "mismatch"), get(2, 7, 8, "ok", 2, "b")) {
		t.Fatal("one winner and one mismatch is linearizable")
	}
}

func TestConcurrentSameEtagUpdatesTwoWinners(t *testing.T) {
	if check(t, create(0, 0, 1, "a", "ok", 1), update(0, 2, 5, 1, "b", "ok"), update(1, 3, 6, 1, "c", "ok")) {
		t.Fatal("two updates with etag 1 that both succeed are not linearizable")
	}
}

func TestLostUpdateSeenByRead(t *testing.T) {
	// The update was acknowledged, yet a read after it sees the version before.
	if check(t, create(0, 0, 1, "a", "ok", 1), update(0, 2, 3, 1, "b", "ok"), get(1, 4, 5, "ok", 1, "a")) {
		t.Fatal("a read after an acknowledged update that returns the old version is not linearizable")
	}
}

func TestIndefiniteUpdateMayOrMayNotApply(t *testing.T) {
	if !check(t, create(0, 0, 1, "a", "ok", 1), update(0, 2, 3, 1, "b", "indefinite"), get(1, 4, 5, "ok", 1, "a"), get(1, 6, 7, "ok", 2, "b")) {
		t.Fatal("an update of unknown outcome may take effect late")
	}
	if !check(t, create(0, 0, 1, "a", "ok", 1), update(0, 2, 3, 1, "b", "indefinite"), get(1, 4, 5, "ok", 1, "a")) {
		t.Fatal("an update of unknown outcome may never take effect")
	}
}

func TestDeleteThenCreateContinuesVersions(t *testing.T) {
	del := Op{Client: 0, Kind: "delete", ID: id, Etag: 1, Call: 2, Ret: 3, Outcome: "ok"}
	if !check(t, create(0, 0, 1, "a", "ok", 1), del, get(1, 4, 5, "not_found", 0, ""), create(1, 6, 7, "b", "ok", 3)) {
		t.Fatal("a todo created again after its delete (version 2) is at version 3")
	}
	if check(t, create(0, 0, 1, "a", "ok", 1), del, create(1, 6, 7, "b", "ok", 1)) {
		t.Fatal("a todo created again must not restart its versions")
	}
}
