"""The facilitators' private notes per member, with an append-only record of every read and
write; the notes go when the membership ends."""
