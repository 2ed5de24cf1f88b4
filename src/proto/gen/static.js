/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
import * as $protobuf from "protobufjs/minimal";

const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const todo = $root.todo = (() => {

    const todo = {};

    todo.v1 = (function() {

        const v1 = {};

        v1.CreateTodoRequest = (function() {

            function CreateTodoRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            CreateTodoRequest.prototype.todo = null;
            CreateTodoRequest.prototype.todo_id = "";

            CreateTodoRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    $root.todo.v1.Todo.encode(message.todo, writer.uint32(10).fork(), q + 1).ldelim();
                if (message.todo_id != null && Object.hasOwnProperty.call(message, "todo_id"))
                    writer.uint32(18).string(message.todo_id);
                return writer;
            };

            CreateTodoRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.CreateTodoRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.todo = $root.todo.v1.Todo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.todo_id = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            CreateTodoRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.CreateTodoRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.CreateTodoRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.CreateTodoRequest();
                if (object.todo != null) {
                    if (!$util.isObject(object.todo))
                        throw TypeError(".todo.v1.CreateTodoRequest.todo: object expected");
                    message.todo = $root.todo.v1.Todo.fromObject(object.todo, long + 1);
                }
                if (object.todo_id != null)
                    message.todo_id = String(object.todo_id);
                return message;
            };

            CreateTodoRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.todo = null;
                    object.todo_id = "";
                }
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    object.todo = $root.todo.v1.Todo.toObject(message.todo, options, q + 1);
                if (message.todo_id != null && Object.hasOwnProperty.call(message, "todo_id"))
                    object.todo_id = message.todo_id;
                return object;
            };

            CreateTodoRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return CreateTodoRequest;
        })();

        v1.GetTodoRequest = (function() {

            function GetTodoRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            GetTodoRequest.prototype.id = "";

            GetTodoRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    writer.uint32(10).string(message.id);
                return writer;
            };

            GetTodoRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.GetTodoRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.id = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            GetTodoRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.GetTodoRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.GetTodoRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.GetTodoRequest();
                if (object.id != null)
                    message.id = String(object.id);
                return message;
            };

            GetTodoRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.id = "";
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                return object;
            };

            GetTodoRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return GetTodoRequest;
        })();

        v1.UpdateTodoRequest = (function() {

            function UpdateTodoRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            UpdateTodoRequest.prototype.todo = null;
            UpdateTodoRequest.prototype.update_mask = null;

            UpdateTodoRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    $root.todo.v1.Todo.encode(message.todo, writer.uint32(10).fork(), q + 1).ldelim();
                if (message.update_mask != null && Object.hasOwnProperty.call(message, "update_mask"))
                    $root.google.protobuf.FieldMask.encode(message.update_mask, writer.uint32(18).fork(), q + 1).ldelim();
                return writer;
            };

            UpdateTodoRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.UpdateTodoRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.todo = $root.todo.v1.Todo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.update_mask = $root.google.protobuf.FieldMask.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            UpdateTodoRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.UpdateTodoRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.UpdateTodoRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.UpdateTodoRequest();
                if (object.todo != null) {
                    if (!$util.isObject(object.todo))
                        throw TypeError(".todo.v1.UpdateTodoRequest.todo: object expected");
                    message.todo = $root.todo.v1.Todo.fromObject(object.todo, long + 1);
                }
                if (object.update_mask != null) {
                    if (!$util.isObject(object.update_mask))
                        throw TypeError(".todo.v1.UpdateTodoRequest.update_mask: object expected");
                    message.update_mask = $root.google.protobuf.FieldMask.fromObject(object.update_mask, long + 1);
                }
                return message;
            };

            UpdateTodoRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.todo = null;
                    object.update_mask = null;
                }
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    object.todo = $root.todo.v1.Todo.toObject(message.todo, options, q + 1);
                if (message.update_mask != null && Object.hasOwnProperty.call(message, "update_mask"))
                    object.update_mask = $root.google.protobuf.FieldMask.toObject(message.update_mask, options, q + 1);
                return object;
            };

            UpdateTodoRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return UpdateTodoRequest;
        })();

        v1.DeleteTodoRequest = (function() {

            function DeleteTodoRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            DeleteTodoRequest.prototype.id = "";
            DeleteTodoRequest.prototype.etag = "";

            DeleteTodoRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    writer.uint32(10).string(message.id);
                if (message.etag != null && Object.hasOwnProperty.call(message, "etag"))
                    writer.uint32(18).string(message.etag);
                return writer;
            };

            DeleteTodoRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.DeleteTodoRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.id = reader.string();
                            break;
                        }
                    case 2: {
                            message.etag = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            DeleteTodoRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.DeleteTodoRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.DeleteTodoRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.DeleteTodoRequest();
                if (object.id != null)
                    message.id = String(object.id);
                if (object.etag != null)
                    message.etag = String(object.etag);
                return message;
            };

            DeleteTodoRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.id = "";
                    object.etag = "";
                }
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                if (message.etag != null && Object.hasOwnProperty.call(message, "etag"))
                    object.etag = message.etag;
                return object;
            };

            DeleteTodoRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return DeleteTodoRequest;
        })();

        v1.SearchTodosRequest = (function() {

            function SearchTodosRequest(properties) {
                this.tags = [];
                this.states = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            SearchTodosRequest.prototype.pattern = "";
            SearchTodosRequest.prototype.tags = $util.emptyArray;
            SearchTodosRequest.prototype.states = $util.emptyArray;
            SearchTodosRequest.prototype.reminder_after = null;
            SearchTodosRequest.prototype.reminder_before = null;
            SearchTodosRequest.prototype.page_size = 0;
            SearchTodosRequest.prototype.page_token = "";
            SearchTodosRequest.prototype.order_by = "";

            SearchTodosRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.pattern != null && Object.hasOwnProperty.call(message, "pattern"))
                    writer.uint32(10).string(message.pattern);
                if (message.tags != null && message.tags.length)
                    for (let i = 0; i < message.tags.length; ++i)
                        writer.uint32(18).string(message.tags[i]);
                if (message.states != null && message.states.length) {
                    writer.uint32(26).fork();
                    for (let i = 0; i < message.states.length; ++i)
                        writer.int32(message.states[i]);
                    writer.ldelim();
                }
                if (message.reminder_after != null && Object.hasOwnProperty.call(message, "reminder_after"))
                    $root.google.protobuf.Timestamp.encode(message.reminder_after, writer.uint32(34).fork(), q + 1).ldelim();
                if (message.reminder_before != null && Object.hasOwnProperty.call(message, "reminder_before"))
                    $root.google.protobuf.Timestamp.encode(message.reminder_before, writer.uint32(42).fork(), q + 1).ldelim();
                if (message.page_size != null && Object.hasOwnProperty.call(message, "page_size"))
                    writer.uint32(48).int32(message.page_size);
                if (message.page_token != null && Object.hasOwnProperty.call(message, "page_token"))
                    writer.uint32(58).string(message.page_token);
                if (message.order_by != null && Object.hasOwnProperty.call(message, "order_by"))
                    writer.uint32(66).string(message.order_by);
                return writer;
            };

            SearchTodosRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.SearchTodosRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.pattern = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.tags && message.tags.length))
                                message.tags = [];
                            message.tags.push(reader.string());
                            break;
                        }
                    case 3: {
                            if (!(message.states && message.states.length))
                                message.states = [];
                            if ((tag & 7) === 2) {
                                let end2 = reader.uint32() + reader.pos;
                                if (end2 > reader.len)
                                    throw RangeError("index out of range");
                                reader.len = end2;
                                while (reader.pos < end2)
                                    message.states.push(reader.int32());
                                if (reader.pos !== end2)
                                    throw RangeError("index out of range");
                                reader.len = end;
                            } else
                                message.states.push(reader.int32());
                            break;
                        }
                    case 4: {
                            message.reminder_after = $root.google.protobuf.Timestamp.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.reminder_before = $root.google.protobuf.Timestamp.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 6: {
                            message.page_size = reader.int32();
                            break;
                        }
                    case 7: {
                            message.page_token = reader.string();
                            break;
                        }
                    case 8: {
                            message.order_by = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            SearchTodosRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.SearchTodosRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.SearchTodosRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.SearchTodosRequest();
                if (object.pattern != null)
                    message.pattern = String(object.pattern);
                if (object.tags) {
                    if (!Array.isArray(object.tags))
                        throw TypeError(".todo.v1.SearchTodosRequest.tags: array expected");
                    message.tags = [];
                    for (let i = 0; i < object.tags.length; ++i)
                        message.tags[i] = String(object.tags[i]);
                }
                if (object.states) {
                    if (!Array.isArray(object.states))
                        throw TypeError(".todo.v1.SearchTodosRequest.states: array expected");
                    message.states = [];
                    for (let i = 0; i < object.states.length; ++i)
                        switch (object.states[i]) {
                        default:
                            if (typeof object.states[i] === "number") {
                                message.states[i] = object.states[i];
                                break;
                            }
                        case "STATE_UNSPECIFIED":
                        case 0:
                            message.states[i] = 0;
                            break;
                        case "STATE_NOT_STARTED":
                        case 1:
                            message.states[i] = 1;
                            break;
                        case "STATE_IN_PROGRESS":
                        case 2:
                            message.states[i] = 2;
                            break;
                        case "STATE_DONE":
                        case 3:
                            message.states[i] = 3;
                            break;
                        }
                }
                if (object.reminder_after != null) {
                    if (!$util.isObject(object.reminder_after))
                        throw TypeError(".todo.v1.SearchTodosRequest.reminder_after: object expected");
                    message.reminder_after = $root.google.protobuf.Timestamp.fromObject(object.reminder_after, long + 1);
                }
                if (object.reminder_before != null) {
                    if (!$util.isObject(object.reminder_before))
                        throw TypeError(".todo.v1.SearchTodosRequest.reminder_before: object expected");
                    message.reminder_before = $root.google.protobuf.Timestamp.fromObject(object.reminder_before, long + 1);
                }
                if (object.page_size != null)
                    message.page_size = object.page_size | 0;
                if (object.page_token != null)
                    message.page_token = String(object.page_token);
                if (object.order_by != null)
                    message.order_by = String(object.order_by);
                return message;
            };

            SearchTodosRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.tags = [];
                    object.states = [];
                }
                if (options.defaults) {
                    object.pattern = "";
                    object.reminder_after = null;
                    object.reminder_before = null;
                    object.page_size = 0;
                    object.page_token = "";
                    object.order_by = "";
                }
                if (message.pattern != null && Object.hasOwnProperty.call(message, "pattern"))
                    object.pattern = message.pattern;
                if (message.tags && message.tags.length) {
                    object.tags = [];
                    for (let j = 0; j < message.tags.length; ++j)
                        object.tags[j] = message.tags[j];
                }
                if (message.states && message.states.length) {
                    object.states = [];
                    for (let j = 0; j < message.states.length; ++j)
                        object.states[j] = options.enums === String ? $root.todo.v1.Todo.State[message.states[j]] === undefined ? message.states[j] : $root.todo.v1.Todo.State[message.states[j]] : message.states[j];
                }
                if (message.reminder_after != null && Object.hasOwnProperty.call(message, "reminder_after"))
                    object.reminder_after = $root.google.protobuf.Timestamp.toObject(message.reminder_after, options, q + 1);
                if (message.reminder_before != null && Object.hasOwnProperty.call(message, "reminder_before"))
                    object.reminder_before = $root.google.protobuf.Timestamp.toObject(message.reminder_before, options, q + 1);
                if (message.page_size != null && Object.hasOwnProperty.call(message, "page_size"))
                    object.page_size = message.page_size;
                if (message.page_token != null && Object.hasOwnProperty.call(message, "page_token"))
                    object.page_token = message.page_token;
                if (message.order_by != null && Object.hasOwnProperty.call(message, "order_by"))
                    object.order_by = message.order_by;
                return object;
            };

            SearchTodosRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SearchTodosRequest;
        })();

        v1.SearchTodosResponse = (function() {

            function SearchTodosResponse(properties) {
                this.todos = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            SearchTodosResponse.prototype.todos = $util.emptyArray;
            SearchTodosResponse.prototype.next_page_token = "";

            SearchTodosResponse.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.todos != null && message.todos.length)
                    for (let i = 0; i < message.todos.length; ++i)
                        $root.todo.v1.Todo.encode(message.todos[i], writer.uint32(10).fork(), q + 1).ldelim();
                if (message.next_page_token != null && Object.hasOwnProperty.call(message, "next_page_token"))
                    writer.uint32(18).string(message.next_page_token);
                return writer;
            };

            SearchTodosResponse.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.SearchTodosResponse();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.todos && message.todos.length))
                                message.todos = [];
                            message.todos.push($root.todo.v1.Todo.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 2: {
                            message.next_page_token = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            SearchTodosResponse.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.SearchTodosResponse)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.SearchTodosResponse: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.SearchTodosResponse();
                if (object.todos) {
                    if (!Array.isArray(object.todos))
                        throw TypeError(".todo.v1.SearchTodosResponse.todos: array expected");
                    message.todos = [];
                    for (let i = 0; i < object.todos.length; ++i) {
                        if (!$util.isObject(object.todos[i]))
                            throw TypeError(".todo.v1.SearchTodosResponse.todos: object expected");
                        message.todos[i] = $root.todo.v1.Todo.fromObject(object.todos[i], long + 1);
                    }
                }
                if (object.next_page_token != null)
                    message.next_page_token = String(object.next_page_token);
                return message;
            };

            SearchTodosResponse.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.todos = [];
                if (options.defaults)
                    object.next_page_token = "";
                if (message.todos && message.todos.length) {
                    object.todos = [];
                    for (let j = 0; j < message.todos.length; ++j)
                        object.todos[j] = $root.todo.v1.Todo.toObject(message.todos[j], options, q + 1);
                }
                if (message.next_page_token != null && Object.hasOwnProperty.call(message, "next_page_token"))
                    object.next_page_token = message.next_page_token;
                return object;
            };

            SearchTodosResponse.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SearchTodosResponse;
        })();

        v1.WatchTodosRequest = (function() {

            function WatchTodosRequest(properties) {
                this.todo_ids = [];
                this.tags = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            WatchTodosRequest.prototype.after_position = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            WatchTodosRequest.prototype.from_now = false;
            WatchTodosRequest.prototype.todo_ids = $util.emptyArray;
            WatchTodosRequest.prototype.tags = $util.emptyArray;
            WatchTodosRequest.prototype.reminders_only = false;

            WatchTodosRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.after_position != null && Object.hasOwnProperty.call(message, "after_position"))
                    writer.uint32(8).uint64(message.after_position);
                if (message.from_now != null && Object.hasOwnProperty.call(message, "from_now"))
                    writer.uint32(16).bool(message.from_now);
                if (message.todo_ids != null && message.todo_ids.length)
                    for (let i = 0; i < message.todo_ids.length; ++i)
                        writer.uint32(26).string(message.todo_ids[i]);
                if (message.tags != null && message.tags.length)
                    for (let i = 0; i < message.tags.length; ++i)
                        writer.uint32(34).string(message.tags[i]);
                if (message.reminders_only != null && Object.hasOwnProperty.call(message, "reminders_only"))
                    writer.uint32(40).bool(message.reminders_only);
                return writer;
            };

            WatchTodosRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.WatchTodosRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.after_position = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.from_now = reader.bool();
                            break;
                        }
                    case 3: {
                            if (!(message.todo_ids && message.todo_ids.length))
                                message.todo_ids = [];
                            message.todo_ids.push(reader.string());
                            break;
                        }
                    case 4: {
                            if (!(message.tags && message.tags.length))
                                message.tags = [];
                            message.tags.push(reader.string());
                            break;
                        }
                    case 5: {
                            message.reminders_only = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            WatchTodosRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.WatchTodosRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.WatchTodosRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.WatchTodosRequest();
                if (object.after_position != null)
                    if ($util.Long)
                        message.after_position = $util.Long.fromValue(object.after_position, true);
                    else if (typeof object.after_position === "string")
                        message.after_position = parseInt(object.after_position, 10);
                    else if (typeof object.after_position === "number")
                        message.after_position = object.after_position;
                    else if (typeof object.after_position === "object")
                        message.after_position = new $util.LongBits(object.after_position.low >>> 0, object.after_position.high >>> 0).toNumber(true);
                if (object.from_now != null)
                    message.from_now = Boolean(object.from_now);
                if (object.todo_ids) {
                    if (!Array.isArray(object.todo_ids))
                        throw TypeError(".todo.v1.WatchTodosRequest.todo_ids: array expected");
                    message.todo_ids = [];
                    for (let i = 0; i < object.todo_ids.length; ++i)
                        message.todo_ids[i] = String(object.todo_ids[i]);
                }
                if (object.tags) {
                    if (!Array.isArray(object.tags))
                        throw TypeError(".todo.v1.WatchTodosRequest.tags: array expected");
                    message.tags = [];
                    for (let i = 0; i < object.tags.length; ++i)
                        message.tags[i] = String(object.tags[i]);
                }
                if (object.reminders_only != null)
                    message.reminders_only = Boolean(object.reminders_only);
                return message;
            };

            WatchTodosRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.todo_ids = [];
                    object.tags = [];
                }
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.after_position = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.after_position = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    object.from_now = false;
                    object.reminders_only = false;
                }
                if (message.after_position != null && Object.hasOwnProperty.call(message, "after_position"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.after_position = typeof message.after_position === "number" ? BigInt(message.after_position) : $util.Long.fromBits(message.after_position.low >>> 0, message.after_position.high >>> 0, true).toBigInt();
                    else if (typeof message.after_position === "number")
                        object.after_position = options.longs === String ? String(message.after_position) : message.after_position;
                    else
                        object.after_position = options.longs === String ? $util.Long.prototype.toString.call(message.after_position) : options.longs === Number ? new $util.LongBits(message.after_position.low >>> 0, message.after_position.high >>> 0).toNumber(true) : message.after_position;
                if (message.from_now != null && Object.hasOwnProperty.call(message, "from_now"))
                    object.from_now = message.from_now;
                if (message.todo_ids && message.todo_ids.length) {
                    object.todo_ids = [];
                    for (let j = 0; j < message.todo_ids.length; ++j)
                        object.todo_ids[j] = message.todo_ids[j];
                }
                if (message.tags && message.tags.length) {
                    object.tags = [];
                    for (let j = 0; j < message.tags.length; ++j)
                        object.tags[j] = message.tags[j];
                }
                if (message.reminders_only != null && Object.hasOwnProperty.call(message, "reminders_only"))
                    object.reminders_only = message.reminders_only;
                return object;
            };

            WatchTodosRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return WatchTodosRequest;
        })();

        v1.WatchTodosResponse = (function() {

            function WatchTodosResponse(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            WatchTodosResponse.prototype.event = null;
            WatchTodosResponse.prototype.position = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            WatchTodosResponse.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.event != null && Object.hasOwnProperty.call(message, "event"))
                    $root.todo.v1.TodoEvent.encode(message.event, writer.uint32(10).fork(), q + 1).ldelim();
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    writer.uint32(16).uint64(message.position);
                return writer;
            };

            WatchTodosResponse.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.WatchTodosResponse();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.event = $root.todo.v1.TodoEvent.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.position = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            WatchTodosResponse.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.WatchTodosResponse)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.WatchTodosResponse: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.WatchTodosResponse();
                if (object.event != null) {
                    if (!$util.isObject(object.event))
                        throw TypeError(".todo.v1.WatchTodosResponse.event: object expected");
                    message.event = $root.todo.v1.TodoEvent.fromObject(object.event, long + 1);
                }
                if (object.position != null)
                    if ($util.Long)
                        message.position = $util.Long.fromValue(object.position, true);
                    else if (typeof object.position === "string")
                        message.position = parseInt(object.position, 10);
                    else if (typeof object.position === "number")
                        message.position = object.position;
                    else if (typeof object.position === "object")
                        message.position = new $util.LongBits(object.position.low >>> 0, object.position.high >>> 0).toNumber(true);
                return message;
            };

            WatchTodosResponse.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.event = null;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.position = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                }
                if (message.event != null && Object.hasOwnProperty.call(message, "event"))
                    object.event = $root.todo.v1.TodoEvent.toObject(message.event, options, q + 1);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.position = typeof message.position === "number" ? BigInt(message.position) : $util.Long.fromBits(message.position.low >>> 0, message.position.high >>> 0, true).toBigInt();
                    else if (typeof message.position === "number")
                        object.position = options.longs === String ? String(message.position) : message.position;
                    else
                        object.position = options.longs === String ? $util.Long.prototype.toString.call(message.position) : options.longs === Number ? new $util.LongBits(message.position.low >>> 0, message.position.high >>> 0).toNumber(true) : message.position;
                return object;
            };

            WatchTodosResponse.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return WatchTodosResponse;
        })();

        v1.TodoEvent = (function() {

            function TodoEvent(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            TodoEvent.prototype.event_id = "";
            TodoEvent.prototype.position = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            TodoEvent.prototype.todo_id = "";
            TodoEvent.prototype.version = $util.Long ? $util.Long.fromBits(0,0,false) : 0;
            TodoEvent.prototype.time = null;
            TodoEvent.prototype.actor = "";
            TodoEvent.prototype.created = null;
            TodoEvent.prototype.updated = null;
            TodoEvent.prototype.deleted = null;
            TodoEvent.prototype.reminder_due = null;

            let $oneOfFields;

            Object.defineProperty(TodoEvent.prototype, "change", {
                get: $util.oneOfGetter($oneOfFields = ["created", "updated", "deleted", "reminder_due"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            TodoEvent.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.event_id != null && Object.hasOwnProperty.call(message, "event_id"))
                    writer.uint32(10).string(message.event_id);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    writer.uint32(16).uint64(message.position);
                if (message.todo_id != null && Object.hasOwnProperty.call(message, "todo_id"))
                    writer.uint32(26).string(message.todo_id);
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    writer.uint32(32).int64(message.version);
                if (message.time != null && Object.hasOwnProperty.call(message, "time"))
                    $root.google.protobuf.Timestamp.encode(message.time, writer.uint32(42).fork(), q + 1).ldelim();
                if (message.actor != null && Object.hasOwnProperty.call(message, "actor"))
                    writer.uint32(50).string(message.actor);
                if (message.created != null && Object.hasOwnProperty.call(message, "created"))
                    $root.todo.v1.TodoCreated.encode(message.created, writer.uint32(82).fork(), q + 1).ldelim();
                if (message.updated != null && Object.hasOwnProperty.call(message, "updated"))
                    $root.todo.v1.TodoUpdated.encode(message.updated, writer.uint32(90).fork(), q + 1).ldelim();
                if (message.deleted != null && Object.hasOwnProperty.call(message, "deleted"))
                    $root.todo.v1.TodoDeleted.encode(message.deleted, writer.uint32(98).fork(), q + 1).ldelim();
                if (message.reminder_due != null && Object.hasOwnProperty.call(message, "reminder_due"))
                    $root.todo.v1.ReminderDue.encode(message.reminder_due, writer.uint32(106).fork(), q + 1).ldelim();
                return writer;
            };

            TodoEvent.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.TodoEvent();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.event_id = reader.string();
                            break;
                        }
                    case 2: {
                            message.position = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.todo_id = reader.string();
                            break;
                        }
                    case 4: {
                            message.version = reader.int64();
                            break;
                        }
                    case 5: {
                            message.time = $root.google.protobuf.Timestamp.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 6: {
                            message.actor = reader.string();
                            break;
                        }
                    case 10: {
                            message.created = $root.todo.v1.TodoCreated.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 11: {
                            message.updated = $root.todo.v1.TodoUpdated.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 12: {
                            message.deleted = $root.todo.v1.TodoDeleted.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 13: {
                            message.reminder_due = $root.todo.v1.ReminderDue.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            TodoEvent.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.TodoEvent)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.TodoEvent: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.TodoEvent();
                if (object.event_id != null)
                    message.event_id = String(object.event_id);
                if (object.position != null)
                    if ($util.Long)
                        message.position = $util.Long.fromValue(object.position, true);
                    else if (typeof object.position === "string")
                        message.position = parseInt(object.position, 10);
                    else if (typeof object.position === "number")
                        message.position = object.position;
                    else if (typeof object.position === "object")
                        message.position = new $util.LongBits(object.position.low >>> 0, object.position.high >>> 0).toNumber(true);
                if (object.todo_id != null)
                    message.todo_id = String(object.todo_id);
                if (object.version != null)
                    if ($util.Long)
                        message.version = $util.Long.fromValue(object.version, false);
                    else if (typeof object.version === "string")
                        message.version = parseInt(object.version, 10);
                    else if (typeof object.version === "number")
                        message.version = object.version;
                    else if (typeof object.version === "object")
                        message.version = new $util.LongBits(object.version.low >>> 0, object.version.high >>> 0).toNumber();
                if (object.time != null) {
                    if (!$util.isObject(object.time))
                        throw TypeError(".todo.v1.TodoEvent.time: object expected");
                    message.time = $root.google.protobuf.Timestamp.fromObject(object.time, long + 1);
                }
                if (object.actor != null)
                    message.actor = String(object.actor);
                if (object.created != null) {
                    if (!$util.isObject(object.created))
                        throw TypeError(".todo.v1.TodoEvent.created: object expected");
                    message.created = $root.todo.v1.TodoCreated.fromObject(object.created, long + 1);
                }
                if (object.updated != null) {
                    if (!$util.isObject(object.updated))
                        throw TypeError(".todo.v1.TodoEvent.updated: object expected");
                    message.updated = $root.todo.v1.TodoUpdated.fromObject(object.updated, long + 1);
                }
                if (object.deleted != null) {
                    if (!$util.isObject(object.deleted))
                        throw TypeError(".todo.v1.TodoEvent.deleted: object expected");
                    message.deleted = $root.todo.v1.TodoDeleted.fromObject(object.deleted, long + 1);
                }
                if (object.reminder_due != null) {
                    if (!$util.isObject(object.reminder_due))
                        throw TypeError(".todo.v1.TodoEvent.reminder_due: object expected");
                    message.reminder_due = $root.todo.v1.ReminderDue.fromObject(object.reminder_due, long + 1);
                }
                return message;
            };

            TodoEvent.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.event_id = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.position = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    object.todo_id = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.version = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.version = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    object.time = null;
                    object.actor = "";
                }
                if (message.event_id != null && Object.hasOwnProperty.call(message, "event_id"))
                    object.event_id = message.event_id;
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.position = typeof message.position === "number" ? BigInt(message.position) : $util.Long.fromBits(message.position.low >>> 0, message.position.high >>> 0, true).toBigInt();
                    else if (typeof message.position === "number")
                        object.position = options.longs === String ? String(message.position) : message.position;
                    else
                        object.position = options.longs === String ? $util.Long.prototype.toString.call(message.position) : options.longs === Number ? new $util.LongBits(message.position.low >>> 0, message.position.high >>> 0).toNumber(true) : message.position;
                if (message.todo_id != null && Object.hasOwnProperty.call(message, "todo_id"))
                    object.todo_id = message.todo_id;
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.version = typeof message.version === "number" ? BigInt(message.version) : $util.Long.fromBits(message.version.low >>> 0, message.version.high >>> 0, false).toBigInt();
                    else if (typeof message.version === "number")
                        object.version = options.longs === String ? String(message.version) : message.version;
                    else
                        object.version = options.longs === String ? $util.Long.prototype.toString.call(message.version) : options.longs === Number ? new $util.LongBits(message.version.low >>> 0, message.version.high >>> 0).toNumber() : message.version;
                if (message.time != null && Object.hasOwnProperty.call(message, "time"))
                    object.time = $root.google.protobuf.Timestamp.toObject(message.time, options, q + 1);
                if (message.actor != null && Object.hasOwnProperty.call(message, "actor"))
                    object.actor = message.actor;
                if (message.created != null && Object.hasOwnProperty.call(message, "created")) {
                    object.created = $root.todo.v1.TodoCreated.toObject(message.created, options, q + 1);
                    if (options.oneofs)
                        object.change = "created";
                }
                if (message.updated != null && Object.hasOwnProperty.call(message, "updated")) {
                    object.updated = $root.todo.v1.TodoUpdated.toObject(message.updated, options, q + 1);
                    if (options.oneofs)
                        object.change = "updated";
                }
                if (message.deleted != null && Object.hasOwnProperty.call(message, "deleted")) {
                    object.deleted = $root.todo.v1.TodoDeleted.toObject(message.deleted, options, q + 1);
                    if (options.oneofs)
                        object.change = "deleted";
                }
                if (message.reminder_due != null && Object.hasOwnProperty.call(message, "reminder_due")) {
                    object.reminder_due = $root.todo.v1.ReminderDue.toObject(message.reminder_due, options, q + 1);
                    if (options.oneofs)
                        object.change = "reminder_due";
                }
                return object;
            };

            TodoEvent.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return TodoEvent;
        })();

        v1.TodoCreated = (function() {

            function TodoCreated(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            TodoCreated.prototype.todo = null;

            TodoCreated.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    $root.todo.v1.Todo.encode(message.todo, writer.uint32(10).fork(), q + 1).ldelim();
                return writer;
            };

            TodoCreated.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.TodoCreated();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.todo = $root.todo.v1.Todo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            TodoCreated.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.TodoCreated)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.TodoCreated: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.TodoCreated();
                if (object.todo != null) {
                    if (!$util.isObject(object.todo))
                        throw TypeError(".todo.v1.TodoCreated.todo: object expected");
                    message.todo = $root.todo.v1.Todo.fromObject(object.todo, long + 1);
                }
                return message;
            };

            TodoCreated.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.todo = null;
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    object.todo = $root.todo.v1.Todo.toObject(message.todo, options, q + 1);
                return object;
            };

            TodoCreated.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return TodoCreated;
        })();

        v1.TodoUpdated = (function() {

            function TodoUpdated(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            TodoUpdated.prototype.update_mask = null;
            TodoUpdated.prototype.todo = null;

            TodoUpdated.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.update_mask != null && Object.hasOwnProperty.call(message, "update_mask"))
                    $root.google.protobuf.FieldMask.encode(message.update_mask, writer.uint32(10).fork(), q + 1).ldelim();
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    $root.todo.v1.Todo.encode(message.todo, writer.uint32(18).fork(), q + 1).ldelim();
                return writer;
            };

            TodoUpdated.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.TodoUpdated();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.update_mask = $root.google.protobuf.FieldMask.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.todo = $root.todo.v1.Todo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            TodoUpdated.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.TodoUpdated)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.TodoUpdated: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.TodoUpdated();
                if (object.update_mask != null) {
                    if (!$util.isObject(object.update_mask))
                        throw TypeError(".todo.v1.TodoUpdated.update_mask: object expected");
                    message.update_mask = $root.google.protobuf.FieldMask.fromObject(object.update_mask, long + 1);
                }
                if (object.todo != null) {
                    if (!$util.isObject(object.todo))
                        throw TypeError(".todo.v1.TodoUpdated.todo: object expected");
                    message.todo = $root.todo.v1.Todo.fromObject(object.todo, long + 1);
                }
                return message;
            };

            TodoUpdated.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.update_mask = null;
                    object.todo = null;
                }
                if (message.update_mask != null && Object.hasOwnProperty.call(message, "update_mask"))
                    object.update_mask = $root.google.protobuf.FieldMask.toObject(message.update_mask, options, q + 1);
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    object.todo = $root.todo.v1.Todo.toObject(message.todo, options, q + 1);
                return object;
            };

            TodoUpdated.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return TodoUpdated;
        })();

        v1.TodoDeleted = (function() {

            function TodoDeleted(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            TodoDeleted.prototype.todo = null;

            TodoDeleted.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    $root.todo.v1.Todo.encode(message.todo, writer.uint32(10).fork(), q + 1).ldelim();
                return writer;
            };

            TodoDeleted.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.TodoDeleted();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.todo = $root.todo.v1.Todo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            TodoDeleted.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.TodoDeleted)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.TodoDeleted: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.TodoDeleted();
                if (object.todo != null) {
                    if (!$util.isObject(object.todo))
                        throw TypeError(".todo.v1.TodoDeleted.todo: object expected");
                    message.todo = $root.todo.v1.Todo.fromObject(object.todo, long + 1);
                }
                return message;
            };

            TodoDeleted.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.todo = null;
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    object.todo = $root.todo.v1.Todo.toObject(message.todo, options, q + 1);
                return object;
            };

            TodoDeleted.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return TodoDeleted;
        })();

        v1.ReminderDue = (function() {

            function ReminderDue(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ReminderDue.prototype.todo = null;
            ReminderDue.prototype.reminder = null;

            ReminderDue.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    $root.todo.v1.Todo.encode(message.todo, writer.uint32(10).fork(), q + 1).ldelim();
                if (message.reminder != null && Object.hasOwnProperty.call(message, "reminder"))
                    $root.google.protobuf.Timestamp.encode(message.reminder, writer.uint32(18).fork(), q + 1).ldelim();
                return writer;
            };

            ReminderDue.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.ReminderDue();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.todo = $root.todo.v1.Todo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.reminder = $root.google.protobuf.Timestamp.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            ReminderDue.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.ReminderDue)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.ReminderDue: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.ReminderDue();
                if (object.todo != null) {
                    if (!$util.isObject(object.todo))
                        throw TypeError(".todo.v1.ReminderDue.todo: object expected");
                    message.todo = $root.todo.v1.Todo.fromObject(object.todo, long + 1);
                }
                if (object.reminder != null) {
                    if (!$util.isObject(object.reminder))
                        throw TypeError(".todo.v1.ReminderDue.reminder: object expected");
                    message.reminder = $root.google.protobuf.Timestamp.fromObject(object.reminder, long + 1);
                }
                return message;
            };

            ReminderDue.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.todo = null;
                    object.reminder = null;
                }
                if (message.todo != null && Object.hasOwnProperty.call(message, "todo"))
                    object.todo = $root.todo.v1.Todo.toObject(message.todo, options, q + 1);
                if (message.reminder != null && Object.hasOwnProperty.call(message, "reminder"))
                    object.reminder = $root.google.protobuf.Timestamp.toObject(message.reminder, options, q + 1);
                return object;
            };

            ReminderDue.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ReminderDue;
        })();

        v1.Todo = (function() {

            function Todo(properties) {
                this.tags = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Todo.prototype.id = "";
            Todo.prototype.title = "";
            Todo.prototype.description = "";
            Todo.prototype.tags = $util.emptyArray;
            Todo.prototype.reminder = null;
            Todo.prototype.state = 0;
            Todo.prototype.create_time = null;
            Todo.prototype.update_time = null;
            Todo.prototype.etag = "";
            Todo.prototype.number = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            Todo.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    writer.uint32(10).string(message.id);
                if (message.title != null && Object.hasOwnProperty.call(message, "title"))
                    writer.uint32(18).string(message.title);
                if (message.description != null && Object.hasOwnProperty.call(message, "description"))
                    writer.uint32(26).string(message.description);
                if (message.tags != null && message.tags.length)
                    for (let i = 0; i < message.tags.length; ++i)
                        writer.uint32(34).string(message.tags[i]);
                if (message.reminder != null && Object.hasOwnProperty.call(message, "reminder"))
                    $root.google.protobuf.Timestamp.encode(message.reminder, writer.uint32(42).fork(), q + 1).ldelim();
                if (message.state != null && Object.hasOwnProperty.call(message, "state"))
                    writer.uint32(48).int32(message.state);
                if (message.create_time != null && Object.hasOwnProperty.call(message, "create_time"))
                    $root.google.protobuf.Timestamp.encode(message.create_time, writer.uint32(58).fork(), q + 1).ldelim();
                if (message.update_time != null && Object.hasOwnProperty.call(message, "update_time"))
                    $root.google.protobuf.Timestamp.encode(message.update_time, writer.uint32(66).fork(), q + 1).ldelim();
                if (message.etag != null && Object.hasOwnProperty.call(message, "etag"))
                    writer.uint32(74).string(message.etag);
                if (message.number != null && Object.hasOwnProperty.call(message, "number"))
                    writer.uint32(80).uint64(message.number);
                return writer;
            };

            Todo.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.Todo();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.id = reader.string();
                            break;
                        }
                    case 2: {
                            message.title = reader.string();
                            break;
                        }
                    case 3: {
                            message.description = reader.string();
                            break;
                        }
                    case 4: {
                            if (!(message.tags && message.tags.length))
                                message.tags = [];
                            message.tags.push(reader.string());
                            break;
                        }
                    case 5: {
                            message.reminder = $root.google.protobuf.Timestamp.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 6: {
                            message.state = reader.int32();
                            break;
                        }
                    case 7: {
                            message.create_time = $root.google.protobuf.Timestamp.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 8: {
                            message.update_time = $root.google.protobuf.Timestamp.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 9: {
                            message.etag = reader.string();
                            break;
                        }
                    case 10: {
                            message.number = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            Todo.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.Todo)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.Todo: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.Todo();
                if (object.id != null)
                    message.id = String(object.id);
                if (object.title != null)
                    message.title = String(object.title);
                if (object.description != null)
                    message.description = String(object.description);
                if (object.tags) {
                    if (!Array.isArray(object.tags))
                        throw TypeError(".todo.v1.Todo.tags: array expected");
                    message.tags = [];
                    for (let i = 0; i < object.tags.length; ++i)
                        message.tags[i] = String(object.tags[i]);
                }
                if (object.reminder != null) {
                    if (!$util.isObject(object.reminder))
                        throw TypeError(".todo.v1.Todo.reminder: object expected");
                    message.reminder = $root.google.protobuf.Timestamp.fromObject(object.reminder, long + 1);
                }
                switch (object.state) {
                default:
                    if (typeof object.state === "number") {
                        message.state = object.state;
                        break;
                    }
                    break;
                case "STATE_UNSPECIFIED":
                case 0:
                    message.state = 0;
                    break;
                case "STATE_NOT_STARTED":
                case 1:
                    message.state = 1;
                    break;
                case "STATE_IN_PROGRESS":
                case 2:
                    message.state = 2;
                    break;
                case "STATE_DONE":
                case 3:
                    message.state = 3;
                    break;
                }
                if (object.create_time != null) {
                    if (!$util.isObject(object.create_time))
                        throw TypeError(".todo.v1.Todo.create_time: object expected");
                    message.create_time = $root.google.protobuf.Timestamp.fromObject(object.create_time, long + 1);
                }
                if (object.update_time != null) {
                    if (!$util.isObject(object.update_time))
                        throw TypeError(".todo.v1.Todo.update_time: object expected");
                    message.update_time = $root.google.protobuf.Timestamp.fromObject(object.update_time, long + 1);
                }
                if (object.etag != null)
                    message.etag = String(object.etag);
                if (object.number != null)
                    if ($util.Long)
                        message.number = $util.Long.fromValue(object.number, true);
                    else if (typeof object.number === "string")
                        message.number = parseInt(object.number, 10);
                    else if (typeof object.number === "number")
                        message.number = object.number;
                    else if (typeof object.number === "object")
                        message.number = new $util.LongBits(object.number.low >>> 0, object.number.high >>> 0).toNumber(true);
                return message;
            };

            Todo.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.tags = [];
                if (options.defaults) {
                    object.id = "";
                    object.title = "";
                    object.description = "";
                    object.reminder = null;
                    object.state = options.enums === String ? "STATE_UNSPECIFIED" : 0;
                    object.create_time = null;
                    object.update_time = null;
                    object.etag = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.number = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.number = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                }
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                if (message.title != null && Object.hasOwnProperty.call(message, "title"))
                    object.title = message.title;
                if (message.description != null && Object.hasOwnProperty.call(message, "description"))
                    object.description = message.description;
                if (message.tags && message.tags.length) {
                    object.tags = [];
                    for (let j = 0; j < message.tags.length; ++j)
                        object.tags[j] = message.tags[j];
                }
                if (message.reminder != null && Object.hasOwnProperty.call(message, "reminder"))
                    object.reminder = $root.google.protobuf.Timestamp.toObject(message.reminder, options, q + 1);
                if (message.state != null && Object.hasOwnProperty.call(message, "state"))
                    object.state = options.enums === String ? $root.todo.v1.Todo.State[message.state] === undefined ? message.state : $root.todo.v1.Todo.State[message.state] : message.state;
                if (message.create_time != null && Object.hasOwnProperty.call(message, "create_time"))
                    object.create_time = $root.google.protobuf.Timestamp.toObject(message.create_time, options, q + 1);
                if (message.update_time != null && Object.hasOwnProperty.call(message, "update_time"))
                    object.update_time = $root.google.protobuf.Timestamp.toObject(message.update_time, options, q + 1);
                if (message.etag != null && Object.hasOwnProperty.call(message, "etag"))
                    object.etag = message.etag;
                if (message.number != null && Object.hasOwnProperty.call(message, "number"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.number = typeof message.number === "number" ? BigInt(message.number) : $util.Long.fromBits(message.number.low >>> 0, message.number.high >>> 0, true).toBigInt();
                    else if (typeof message.number === "number")
                        object.number = options.longs === String ? String(message.number) : message.number;
                    else
                        object.number = options.longs === String ? $util.Long.prototype.toString.call(message.number) : options.longs === Number ? new $util.LongBits(message.number.low >>> 0, message.number.high >>> 0).toNumber(true) : message.number;
                return object;
            };

            Todo.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            Todo.State = (function() {
                const valuesById = {}, values = Object.create(valuesById);
                values[valuesById[0] = "STATE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "STATE_NOT_STARTED"] = 1;
                values[valuesById[2] = "STATE_IN_PROGRESS"] = 2;
                values[valuesById[3] = "STATE_DONE"] = 3;
                return values;
            })();

            return Todo;
        })();

        v1.GetServerInfoRequest = (function() {

            function GetServerInfoRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            GetServerInfoRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                return writer;
            };

            GetServerInfoRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.GetServerInfoRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            GetServerInfoRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.GetServerInfoRequest)
                    return object;
                return new $root.todo.v1.GetServerInfoRequest();
            };

            GetServerInfoRequest.toObject = function toObject() {
                return {};
            };

            GetServerInfoRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return GetServerInfoRequest;
        })();

        v1.ServerInfo = (function() {

            function ServerInfo(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ServerInfo.prototype.version = "";
            ServerInfo.prototype.commit = "";
            ServerInfo.prototype.caller = "";

            ServerInfo.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    writer.uint32(10).string(message.version);
                if (message.commit != null && Object.hasOwnProperty.call(message, "commit"))
                    writer.uint32(18).string(message.commit);
                if (message.caller != null && Object.hasOwnProperty.call(message, "caller"))
                    writer.uint32(26).string(message.caller);
                return writer;
            };

            ServerInfo.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.todo.v1.ServerInfo();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.version = reader.string();
                            break;
                        }
                    case 2: {
                            message.commit = reader.string();
                            break;
                        }
                    case 3: {
                            message.caller = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            ServerInfo.fromObject = function fromObject(object, long) {
                if (object instanceof $root.todo.v1.ServerInfo)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".todo.v1.ServerInfo: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.todo.v1.ServerInfo();
                if (object.version != null)
                    message.version = String(object.version);
                if (object.commit != null)
                    message.commit = String(object.commit);
                if (object.caller != null)
                    message.caller = String(object.caller);
                return message;
            };

            ServerInfo.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.version = "";
                    object.commit = "";
                    object.caller = "";
                }
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    object.version = message.version;
                if (message.commit != null && Object.hasOwnProperty.call(message, "commit"))
                    object.commit = message.commit;
                if (message.caller != null && Object.hasOwnProperty.call(message, "caller"))
                    object.caller = message.caller;
                return object;
            };

            ServerInfo.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ServerInfo;
        })();

        return v1;
    })();

    return todo;
})();

export const google = $root.google = (() => {

    const google = {};

    google.protobuf = (function() {

        const protobuf = {};

        protobuf.Empty = (function() {

            function Empty(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Empty.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                return writer;
            };

            Empty.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.google.protobuf.Empty();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            Empty.fromObject = function fromObject(object, long) {
                if (object instanceof $root.google.protobuf.Empty)
                    return object;
                return new $root.google.protobuf.Empty();
            };

            Empty.toObject = function toObject() {
                return {};
            };

            Empty.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Empty;
        })();

        protobuf.FieldMask = (function() {

            function FieldMask(properties) {
                this.paths = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            FieldMask.prototype.paths = $util.emptyArray;

            FieldMask.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.paths != null && message.paths.length)
                    for (let i = 0; i < message.paths.length; ++i)
                        writer.uint32(10).string(message.paths[i]);
                return writer;
            };

            FieldMask.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.google.protobuf.FieldMask();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.paths && message.paths.length))
                                message.paths = [];
                            message.paths.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            FieldMask.fromObject = function fromObject(object, long) {
                if (object instanceof $root.google.protobuf.FieldMask)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".google.protobuf.FieldMask: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.google.protobuf.FieldMask();
                if (object.paths) {
                    if (!Array.isArray(object.paths))
                        throw TypeError(".google.protobuf.FieldMask.paths: array expected");
                    message.paths = [];
                    for (let i = 0; i < object.paths.length; ++i)
                        message.paths[i] = String(object.paths[i]);
                }
                return message;
            };

            FieldMask.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.paths = [];
                if (message.paths && message.paths.length) {
                    object.paths = [];
                    for (let j = 0; j < message.paths.length; ++j)
                        object.paths[j] = message.paths[j];
                }
                return object;
            };

            FieldMask.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return FieldMask;
        })();

        protobuf.Timestamp = (function() {

            function Timestamp(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Timestamp.prototype.seconds = $util.Long ? $util.Long.fromBits(0,0,false) : 0;
            Timestamp.prototype.nanos = 0;

            Timestamp.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.seconds != null && Object.hasOwnProperty.call(message, "seconds"))
                    writer.uint32(8).int64(message.seconds);
                if (message.nanos != null && Object.hasOwnProperty.call(message, "nanos"))
                    writer.uint32(16).int32(message.nanos);
                return writer;
            };

            Timestamp.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.google.protobuf.Timestamp();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.seconds = reader.int64();
                            break;
                        }
                    case 2: {
                            message.nanos = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            Timestamp.fromObject = function fromObject(object, long) {
                if (object instanceof $root.google.protobuf.Timestamp)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".google.protobuf.Timestamp: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.google.protobuf.Timestamp();
                if (object.seconds != null)
                    if ($util.Long)
                        message.seconds = $util.Long.fromValue(object.seconds, false);
                    else if (typeof object.seconds === "string")
                        message.seconds = parseInt(object.seconds, 10);
                    else if (typeof object.seconds === "number")
                        message.seconds = object.seconds;
                    else if (typeof object.seconds === "object")
                        message.seconds = new $util.LongBits(object.seconds.low >>> 0, object.seconds.high >>> 0).toNumber();
                if (object.nanos != null)
                    message.nanos = object.nanos | 0;
                return message;
            };

            Timestamp.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.seconds = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.seconds = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    object.nanos = 0;
                }
                if (message.seconds != null && Object.hasOwnProperty.call(message, "seconds"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.seconds = typeof message.seconds === "number" ? BigInt(message.seconds) : $util.Long.fromBits(message.seconds.low >>> 0, message.seconds.high >>> 0, false).toBigInt();
                    else if (typeof message.seconds === "number")
                        object.seconds = options.longs === String ? String(message.seconds) : message.seconds;
                    else
                        object.seconds = options.longs === String ? $util.Long.prototype.toString.call(message.seconds) : options.longs === Number ? new $util.LongBits(message.seconds.low >>> 0, message.seconds.high >>> 0).toNumber() : message.seconds;
                if (message.nanos != null && Object.hasOwnProperty.call(message, "nanos"))
                    object.nanos = message.nanos;
                return object;
            };

            Timestamp.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Timestamp;
        })();

        return protobuf;
    })();

    return google;
})();

export { $root as default };
