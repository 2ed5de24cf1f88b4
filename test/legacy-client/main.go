// A client generated from the original schema (proto/v1/todo.proto), as deployed Go clients of todod are.
// It runs the original README's session through v1.ToDoService against -addr, checks every field of every
// answer, and prints the session in the original todo-cli's words. The last line is a JSON summary of the
// todos left (`RESULT {...}`), so a caller can read them back through another API and compare.
// It needs an empty store: Search must return exactly the session's todos.
//
// With -call METHOD -request JSON it makes that one call instead and prints the answer as JSON
// (protojson, unset fields as null: a reminder the answer left unset is null, a set one a time), so a
// test can drive the original's schema call by call.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	v1 "todo/test/legacy-client/gen/v1"
)

// The README deletes this id, which this store never held.
const readmeDeletedID = "5dc587ecd954d9bc69be5522"

func main() {
	addr := flag.String("addr", "", "the daemon's gRPC address, host:port")
	timeout := flag.Duration("timeout", 30*time.Second, "for the whole session")
	method := flag.String("call", "", "make this one call (Create, Read, Update, Delete, Search) instead of the session")
	request := flag.String("request", "{}", "the call's request, as protojson")
	flag.Parse()
	if *addr == "" {
		fail("-addr is required")
	}
	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fail("cannot connect to %s: %v", *addr, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if *method != "" {
		call(ctx, v1.NewToDoServiceClient(conn), *method, *request)
		return
	}
	session(ctx, v1.NewToDoServiceClient(conn))
}

// call makes one call and prints its answer; a failed call exits 1 with the status on stderr.
func call(ctx context.Context, c v1.ToDoServiceClient, method, request string) {
	var in, out proto.Message
	var invoke func() error
	switch method {
	case "Create":
		r := &v1.CreateRequest{}
		in, invoke = r, func() (err error) { out, err = c.Create(ctx, r); return }
	case "Read":
		r := &v1.ReadRequest{}
		in, invoke = r, func() (err error) { out, err = c.Read(ctx, r); return }
	case "Update":
		r := &v1.UpdateRequest{}
		in, invoke = r, func() (err error) { out, err = c.Update(ctx, r); return }
	case "Delete":
		r := &v1.DeleteRequest{}
		in, invoke = r, func() (err error) { out, err = c.Delete(ctx, r); return }
	case "Search":
		r := &v1.SearchRequest{}
		in, invoke = r, func() (err error) { out, err = c.Search(ctx, r); return }
	default:
		fail("-call %q: use Create, Read, Update, Delete or Search", method)
	}
	if err := protojson.Unmarshal([]byte(request), in); err != nil {
		fail("-request for %s: %v", method, err)
	}
	if err := invoke(); err != nil {
		fail("%s failed: %v", method, err)
	}
	answer, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(out)
	if err != nil {
		fail("cannot print the answer of %s: %v", method, err)
	}
	fmt.Println(string(answer))
}

func session(ctx context.Context, c v1.ToDoServiceClient) {
	now := timestamppb.New(time.Now().Truncate(time.Second))
	apps := &v1.ToDo{Title: "ori", Description: "12factor apps", State: v1.ToDo_NOT_STARTED, Tags: []string{"job"}, Reminder: now}
	eventstore := &v1.ToDo{Title: "ori", Description: "12factor eventstore", State: v1.ToDo_NOT_STARTED, Tags: []string{"job"}, Reminder: now}
	challenge := &v1.ToDo{
		Title: "Read - Challenge - todo", Description: "Read - Should create a micro service with 12factor",
		State: v1.ToDo_DONE, Tags: []string{"golang", "12factor", "k8s"}, Reminder: timestamppb.New(time.Unix(1573046180, 0)),
	}

	fmt.Println("#Create")
	for _, todo := range []*v1.ToDo{challenge, apps, eventstore} {
		created := must(c.Create(ctx, &v1.CreateRequest{ToDo: todo}))
		todo.Id = created.GetId()
		fmt.Printf("ID:%q\n", todo.Id)
		check(len(todo.Id) == 24, "Create returned id %q, want 24 hex digits", todo.Id)
	}

	fmt.Println("#Read")
	read := must(c.Read(ctx, &v1.ReadRequest{Id: eventstore.Id}))
	fmt.Printf("Todo:%s\n", line(read.GetToDo()))
	same(read.GetToDo(), eventstore, "Read")

	fmt.Println("#Update")
	eventstore.Tags = []string{"job", "golang"}
	eventstore.Reminder = timestamppb.New(now.AsTime().Add(time.Minute))
	updated := must(c.Update(ctx, &v1.UpdateRequest{ToDo: eventstore}))
	fmt.Printf("Updated:%t\n", updated.GetUpdated() == 1)
	check(updated.GetUpdated() == 1, "Update: updated = %d, want 1", updated.GetUpdated())
	same(must(c.Read(ctx, &v1.ReadRequest{Id: eventstore.Id})).GetToDo(), eventstore, "Read after Update")
	// The original's rule: tags and state always change; empty title and description, and an unset
	// reminder, keep what is stored. It answered MongoDB's modified count: 0 when nothing differed.
	challenge.State = v1.ToDo_IN_PROGRESS
	updated = must(c.Update(ctx, &v1.UpdateRequest{ToDo: &v1.ToDo{Id: challenge.Id, State: challenge.State, Tags: challenge.Tags}}))
	check(updated.GetUpdated() == 1, "partial Update: updated = %d, want 1", updated.GetUpdated())
	same(must(c.Read(ctx, &v1.ReadRequest{Id: challenge.Id})).GetToDo(), challenge, "Read after a partial Update")
	challenge.State = v1.ToDo_DONE
	for _, want := range []int64{1, 0} {
		updated = must(c.Update(ctx, &v1.UpdateRequest{ToDo: &v1.ToDo{Id: challenge.Id, State: challenge.State, Tags: challenge.Tags}}))
		check(updated.GetUpdated() == want, "partial Update back to DONE: updated = %d, want %d", updated.GetUpdated(), want)
	}
	same(must(c.Read(ctx, &v1.ReadRequest{Id: challenge.Id})).GetToDo(), challenge, "Read after partial Updates")
	updated = must(c.Update(ctx, &v1.UpdateRequest{ToDo: &v1.ToDo{Id: readmeDeletedID, Title: "x"}}))
	check(updated.GetUpdated() == 0, "Update of an unknown id: updated = %d, want 0", updated.GetUpdated())

	fmt.Println("#Delete")
	scratch := must(c.Create(ctx, &v1.CreateRequest{ToDo: &v1.ToDo{Title: "scratch"}})).GetId()
	deleted := must(c.Delete(ctx, &v1.DeleteRequest{Id: scratch}))
	fmt.Printf("Deleted:%t\n", deleted.GetDeleted() == 1)
	check(deleted.GetDeleted() == 1, "Delete: deleted = %d, want 1", deleted.GetDeleted())
	check(must(c.Read(ctx, &v1.ReadRequest{Id: scratch})).GetToDo() == nil, "Read after Delete returned a todo")
	deleted = must(c.Delete(ctx, &v1.DeleteRequest{Id: readmeDeletedID}))
	check(deleted.GetDeleted() == 0, "Delete of an unknown id: deleted = %d, want 0", deleted.GetDeleted())
	check(must(c.Read(ctx, &v1.ReadRequest{Id: readmeDeletedID})).GetToDo() == nil, "Read of an unknown id returned a todo")
	_, err := c.Read(ctx, &v1.ReadRequest{Id: "not-an-id"})
	check(status.Code(err) == codes.InvalidArgument, "Read of a malformed id: %v, want InvalidArgument", err)

	fmt.Println("#Search")
	all := []*v1.ToDo{challenge, apps, eventstore}
	search(ctx, c, &v1.SearchRequest{}, all)
	fmt.Println("#Search --pattern '.event.*'")
	search(ctx, c, &v1.SearchRequest{Pattern: ".event.*"}, []*v1.ToDo{eventstore})
	search(ctx, c, &v1.SearchRequest{Pattern: "^Read"}, []*v1.ToDo{challenge})
	search(ctx, c, &v1.SearchRequest{Pattern: "^ori"}, nil) // two titles match; the pattern sees descriptions only
	search(ctx, c, &v1.SearchRequest{Tags: []string{"job", "golang"}}, []*v1.ToDo{eventstore})
	search(ctx, c, &v1.SearchRequest{States: []v1.ToDo_State{v1.ToDo_DONE, v1.ToDo_IN_PROGRESS}}, []*v1.ToDo{challenge})
	search(ctx, c, &v1.SearchRequest{Pattern: "12factor", Tags: []string{"job"}, States: []v1.ToDo_State{v1.ToDo_NOT_STARTED}}, []*v1.ToDo{apps, eventstore})
	_, err = c.Search(ctx, &v1.SearchRequest{Pattern: "("})
	check(status.Code(err) == codes.InvalidArgument, "Search with an invalid pattern: %v, want InvalidArgument", err)

	type result struct {
		ID          string   `json:"id"`
		Title       string   `json:"title"`
		Description string   `json:"description"`
		Tags        []string `json:"tags"`
		Reminder    int64    `json:"reminder"`
		State       string   `json:"state"`
	}
	var results []result
	for _, t := range all {
		results = append(results, result{t.Id, t.Title, t.Description, t.Tags, t.Reminder.GetSeconds(), t.State.String()})
	}
	summary, _ := json.Marshal(map[string]any{"todos": results})
	fmt.Printf("RESULT %s\n", summary)
}

func search(ctx context.Context, c v1.ToDoServiceClient, request *v1.SearchRequest, want []*v1.ToDo) {
	got := must(c.Search(ctx, request)).GetToDos()
	if request.Pattern == ".event.*" || proto.Equal(request, &v1.SearchRequest{}) {
		for _, t := range got {
			fmt.Printf("Todo:%s\n", line(t))
		}
	}
	check(len(got) == len(want), "Search %s: %d todos, want %d", show(request), len(got), len(want))
	for i := range want {
		same(got[i], want[i], fmt.Sprintf("Search %s, todo %d", show(request), i))
	}
}

func same(got, want *v1.ToDo, what string) {
	check(proto.Equal(got, want), "%s:\n  got  %s\n  want %s", what, show(got), show(want))
}

// line formats a todo as the original todo-cli logged it.
func line(t *v1.ToDo) string {
	return fmt.Sprintf("{%s %s %s %s %v %d}", t.GetId(), t.GetTitle(), t.GetDescription(), t.GetState(), t.GetTags(), t.GetReminder().GetSeconds())
}

func show(m proto.Message) string {
	if m == nil || !m.ProtoReflect().IsValid() {
		return "<none>"
	}
	return "{" + prototext.MarshalOptions{}.Format(m) + "}"
}

func must[T any](v T, err error) T {
	if err != nil {
		fail("call failed: %v", err)
	}
	return v
}

func check(ok bool, format string, args ...any) {
	if !ok {
		fail(format, args...)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "legacy-client: "+format+"\n", args...)
	os.Exit(1)
}
