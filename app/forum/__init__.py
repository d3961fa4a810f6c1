"""Forum: threads, posts, revisions, reactions and read state inside a space."""
