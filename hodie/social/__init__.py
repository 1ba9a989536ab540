"""Partners and readers: partner feeds polled into suggested excerpts, Webmention in and out,
reader comments with their defences, and the background jobs that do the network work."""
