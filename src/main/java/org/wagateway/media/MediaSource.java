package org.wagateway.media;

import org.wagateway.canonical.Media;

/**
 * Where one provider's attachments come from and how they are fetched: a plain link ({@link LinkMediaSource}),
 * or Meta's media id through the Graph API ({@link MetaMediaSource}). {@link MediaSources} picks one by the
 * message's provider.
 */
public interface MediaSource {

    /** Whether the attachment says where to fetch it from, as this source reads it. */
    boolean canFetch(Media media);

    /** Downloads it; never throws for a download problem (see {@link MediaDownloader}). */
    DownloadResult download(Media media);
}
