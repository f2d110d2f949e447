package io.kubefim.api.event;

/** The kind of file system entry an event is about. */
public enum FileType {
  File,
  Directory,
  Symlink,
  Other
}
