package org.wagateway.media;

import java.io.IOException;
import java.io.InputStream;

/** A kept copy, ready to be streamed. */
public interface StoredMediaContent {

    StoredMedia media();

    /** A new stream of the bytes; the caller closes it. */
    InputStream openStream() throws IOException;
}
