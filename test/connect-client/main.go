// An independent todo.v1 client: connect-go (connectrpc.com/connect) with code generated from proto/todo/v1,
// speaking the Connect protocol (JSON or binary) or gRPC-Web over plain HTTP to the daemon's web port, or
// gRPC (HTTP/2 without TLS) to its gRPC port, for comparison and to check the client itself.
// It runs every todo.v1 method in sequence against one todo of its own:
//
//	GetServerInfo; CreateTodo (title, tags, reminder); GetTodo; UpdateTodo with an update_mask and the
//	current etag; UpdateTodo with the now stale etag (FAILED_PRECONDITION); SearchTodos by the todo's
//	own tag; WatchTodos from position 0 (for this todo) until it has seen the create and the update,
//	then cancelled; DeleteTodo with the current etag; GetTodo again (NOT_FOUND); CreateTodo with an
//	empty title (INVALID_ARGUMENT).
//
// Usage: connect-client -url http://127.0.0.1:PORT -protocol connect-json|connect-proto|grpc-web|grpc [-token T]
//
// Output: one JSON object per line on stdout, one per step, in the order above, with these fields:
//
//   - step: a name for the step, unique in the run (get-server-info, create, get, update,
//     update-stale-etag, search, watch, delete, get-deleted, create-empty-title).
//   - method: the todo.v1 method called.
//   - code: "ok", or the Connect code of the error (connect.Code's names: "not_found", "invalid_argument").
//   - expect: the code the step expects.
//   - message: the error's message ("" when ok).
//   - result: the answer as proto3 JSON (protojson, lowerCamel names), or null on error; for the watch,
//     an array of the WatchTodosResponse messages received, in order.
//
// For example:
//
//	{"step":"update-stale-etag","method":"UpdateTodo","code":"failed_precondition","expect":"failed_precondition","message":"…","result":null}
//
// The exit status is 0 when every step got the code it expects and the answers hold together (the get
// returns what the create made, the update's fields changed, the search finds the todo, the watch saw the
// create and the update); otherwise 1, with the first inconsistency on stderr. Bad flags exit 2.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	todov1 "todo/test/connect-client/gen/todo/v1"
	"todo/test/connect-client/gen/todo/v1/todov1connect"
)

func main() {
	baseURL := flag.String("url", "", "the daemon's HTTP base URL, e.g. http://127.0.0.1:8081")
	protocol := flag.String("protocol", "connect-json", "connect-json, connect-proto, grpc-web, or grpc (to the gRPC port)")
	token := flag.String("token", "", "a bearer token, sent in the Authorization header (none when empty)")
	timeout := flag.Duration("timeout", 30*time.Second, "for the whole run")
	watchTimeout := flag.Duration("watch-timeout", 10*time.Second, "for the watch to deliver the create and the update")
	flag.Parse()
	if *baseURL == "" {
		usage("-url is required")
	}
	var options []connect.ClientOption
	// Plain HTTP/1.1 suffices for Connect and gRPC-Web, unary and server streaming alike.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	switch *protocol {
	case "connect-json":
		options = append(options, connect.WithProtoJSON())
	case "connect-proto":
		// connect-go's default: the Connect protocol with binary protobuf.
	case "grpc-web":
		options = append(options, connect.WithGRPCWeb())
	case "grpc":
		// gRPC needs HTTP/2; over http:// that is prior knowledge (h2c).
		options = append(options, connect.WithGRPC())
		transport.Protocols = new(http.Protocols)
		transport.Protocols.SetUnencryptedHTTP2(true)
	default:
		usage(fmt.Sprintf("-protocol %q is not one of connect-json, connect-proto, grpc-web, grpc", *protocol))
	}
	httpClient := &http.Client{Transport: bearer{token: *token, next: transport}}
	r := &run{
		todos: todov1connect.NewTodoServiceClient(httpClient, *baseURL, options...),
		info:  todov1connect.NewServerInfoServiceClient(httpClient, *baseURL, options...),
		tag:   fmt.Sprintf("connect-%s-%d", *protocol, time.Now().UnixNano()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := r.steps(ctx, *watchTimeout); err != nil {
		fmt.Fprintln(os.Stderr, "connect-client:", err)
		os.Exit(1)
	}
}

func usage(problem string) {
	fmt.Fprintf(os.Stderr, "connect-client: %s\n", problem)
	flag.Usage()
	os.Exit(2)
}

// bearer adds the Authorization header to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	if b.token == "" {
		return b.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(req)
}

type run struct {
	todos todov1connect.TodoServiceClient
	info  todov1connect.ServerInfoServiceClient
	// A tag no other todo carries, so the search and the checks see this run's todo only.
	tag string
}

// step is one line of output.
type step struct {
	Step    string          `json:"step"`
	Method  string          `json:"method"`
	Code    string          `json:"code"`
	Expect  string          `json:"expect"`
	Message string          `json:"message"`
	Result  json.RawMessage `json:"result"`
}

// report prints the step's line and returns an error when its code is not the expected one.
func report(name, method, expect string, result json.RawMessage, err error) error {
	s := step{Step: name, Method: method, Code: "ok", Expect: expect, Result: result}
	if err != nil {
		s.Code, s.Message, s.Result = connect.CodeOf(err).String(), err.Error(), nil
		var connectErr *connect.Error
		if errors.As(err, &connectErr) {
			s.Message = connectErr.Message()
		}
	}
	if s.Result == nil {
		s.Result = json.RawMessage("null")
	}
	line, marshalErr := json.Marshal(s)
	if marshalErr != nil {
		return fmt.Errorf("%s: cannot print the step: %w", name, marshalErr)
	}
	fmt.Println(string(line))
	if s.Code != expect {
		return fmt.Errorf("%s: %s answered %s (%s), expected %s", name, method, s.Code, s.Message, expect)
	}
	return nil
}

func asJSON(m proto.Message) json.RawMessage {
	b, err := protojson.Marshal(m)
	if err != nil {
		return json.RawMessage(fmt.Sprintf("%q", "cannot encode: "+err.Error()))
	}
	return b
}

// unary calls a unary method, prints its step, and returns the answer (nil on error).
func unary[Req, Res any](ctx context.Context, name, method, expect string, call func(context.Context, *connect.Request[Req]) (*connect.Response[Res], error), req *Req) (*Res, error) {
	res, err := call(ctx, connect.NewRequest(req))
	var result json.RawMessage
	var msg *Res
	if err == nil {
		msg = res.Msg
		result = asJSON(any(msg).(proto.Message))
	}
	return msg, report(name, method, expect, result, err)
}

func (r *run) steps(ctx context.Context, watchTimeout time.Duration) error {
	if _, err := unary(ctx, "get-server-info", "GetServerInfo", "ok", r.info.GetServerInfo, &todov1.GetServerInfoRequest{}); err != nil {
		return err
	}

	reminder := timestamppb.New(time.Now().Add(24 * time.Hour).Truncate(time.Second))
	created, err := unary(ctx, "create", "CreateTodo", "ok", r.todos.CreateTodo, &todov1.CreateTodoRequest{
		Todo: &todov1.Todo{Title: "from connect-go", Description: "an independent client", Tags: []string{r.tag, "connect"}, Reminder: reminder},
	})
	if err != nil {
		return err
	}
	if created.Id == "" || created.Etag == "" || created.Title != "from connect-go" || !created.Reminder.AsTime().Equal(reminder.AsTime()) || len(created.Tags) != 2 || created.State != todov1.Todo_STATE_NOT_STARTED {
		return fmt.Errorf("create: the answer is not the todo asked for: %s", asJSON(created))
	}

	got, err := unary(ctx, "get", "GetTodo", "ok", r.todos.GetTodo, &todov1.GetTodoRequest{Id: created.Id})
	if err != nil {
		return err
	}
	if !proto.Equal(got, created) {
		return fmt.Errorf("get: %s differs from the created %s", asJSON(got), asJSON(created))
	}

	updated, err := unary(ctx, "update", "UpdateTodo", "ok", r.todos.UpdateTodo, &todov1.UpdateTodoRequest{
		Todo:       &todov1.Todo{Id: created.Id, Title: "from connect-go, renamed", State: todov1.Todo_STATE_IN_PROGRESS, Etag: created.Etag},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title", "state"}},
	})
	if err != nil {
		return err
	}
	if updated.Title != "from connect-go, renamed" || updated.State != todov1.Todo_STATE_IN_PROGRESS || updated.Etag == created.Etag || updated.Description != created.Description {
		return fmt.Errorf("update: the answer does not carry the masked change only: %s", asJSON(updated))
	}

	if _, err := unary(ctx, "update-stale-etag", "UpdateTodo", "failed_precondition", r.todos.UpdateTodo, &todov1.UpdateTodoRequest{
		Todo:       &todov1.Todo{Id: created.Id, Title: "lost update", Etag: created.Etag},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}},
	}); err != nil {
		return err
	}

	found, err := unary(ctx, "search", "SearchTodos", "ok", r.todos.SearchTodos, &todov1.SearchTodosRequest{Tags: []string{r.tag}})
	if err != nil {
		return err
	}
	if len(found.Todos) != 1 || !proto.Equal(found.Todos[0], updated) {
		return fmt.Errorf("search: expected exactly the updated todo, got %s", asJSON(found))
	}

	if err := r.watch(ctx, created.Id, watchTimeout); err != nil {
		return err
	}

	if _, err := unary(ctx, "delete", "DeleteTodo", "ok", r.todos.DeleteTodo, &todov1.DeleteTodoRequest{Id: created.Id, Etag: updated.Etag}); err != nil {
		return err
	}
	if _, err := unary(ctx, "get-deleted", "GetTodo", "not_found", r.todos.GetTodo, &todov1.GetTodoRequest{Id: created.Id}); err != nil {
		return err
	}
	_, err = unary(ctx, "create-empty-title", "CreateTodo", "invalid_argument", r.todos.CreateTodo, &todov1.CreateTodoRequest{Todo: &todov1.Todo{Title: "", Tags: []string{r.tag}}})
	return err
}

// watch streams this todo's events from the start of the log until the create and the update have
// arrived, then cancels the stream (the server then sees the call cancelled; that is not an error here).
func (r *run) watch(ctx context.Context, id string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stream, err := r.todos.WatchTodos(ctx, connect.NewRequest(&todov1.WatchTodosRequest{AfterPosition: 0, TodoIds: []string{id}}))
	if err != nil {
		return report("watch", "WatchTodos", "ok", nil, err)
	}
	var received []json.RawMessage
	var sawCreate, sawUpdate bool
	for !(sawCreate && sawUpdate) && stream.Receive() {
		msg := stream.Msg()
		received = append(received, asJSON(msg))
		switch msg.GetEvent().GetChange().(type) {
		case *todov1.TodoEvent_Created:
			sawCreate = true
		case *todov1.TodoEvent_Updated:
			sawUpdate = true
		}
	}
	// Receive returned false (the stream ended or the timeout cancelled it), or both events arrived.
	streamErr := stream.Err()
	cancel()
	_ = stream.Close()
	result, marshalErr := json.Marshal(received)
	if marshalErr != nil {
		return fmt.Errorf("watch: cannot print the messages: %w", marshalErr)
	}
	if sawCreate && sawUpdate {
		return report("watch", "WatchTodos", "ok", result, nil)
	}
	if streamErr == nil {
		streamErr = connect.NewError(connect.CodeUnknown, errors.New("the stream ended before the create and the update arrived"))
	}
	if err := report("watch", "WatchTodos", "ok", nil, streamErr); err != nil {
		return fmt.Errorf("%w (received %d messages: %s)", err, len(received), strings.TrimSpace(string(result)))
	}
	return nil
}
