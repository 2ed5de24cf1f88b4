import type { Order, TodoRecord } from "./model";

/** A todo's value for the order's field: what a page token resumes after. */
export function sortKey(todo: TodoRecord, order: Order): string | number | null {
  switch (order.field) {
    case "create_time":
      return todo.createTime;
    case "update_time":
      return todo.updateTime;
    case "reminder":
      return todo.reminder;
    case "title":
      return todo.title;
  }
}
