"""Media of imported posts: images fetched under the outbound fetch policy and kept in
``HODIE_MEDIA_ROOT``, WXR attachments, and the image hosts an editor allows in the
Content-Security-Policy for the images that could not be fetched."""
