package org.wagateway.media;

import org.springframework.stereotype.Component;
import org.wagateway.canonical.Media;

/** Kazinfoteh's and Green API's attachments: one GET of the provider's {@code sourceUrl}, no credentials. */
@Component
public class LinkMediaSource implements MediaSource {

    private final MediaDownloader downloader;

    public LinkMediaSource(MediaDownloader downloader) {
        this.downloader = downloader;
    }

    @Override
    public boolean canFetch(Media media) {
        return media.sourceUrl() != null && !media.sourceUrl().isBlank();
    }

    @Override
    public DownloadResult download(Media media) {
        return downloader.download(media.sourceUrl(), media.mimeType());
    }
}
