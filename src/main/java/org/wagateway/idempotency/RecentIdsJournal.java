package org.wagateway.idempotency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The ids one stage added or removed lately, appended to a file as each change happens, read back at the next
 * start.
 * <p>
 * Why: an embedded H2 keeps its last commits in memory for its write delay (half a second) and a kill loses them,
 * so a provider's retry of a webhook stored just before a crash was stored again. A line written here is the
 * operating system's as soon as the write returns: a killed process loses none (a crash of the machine itself
 * may). Two files take turns, each up to {@code changesPerFile} lines, so the journal holds the last
 * {@code changesPerFile} to {@code 2 × changesPerFile} changes and never grows beyond that.
 */
final class RecentIdsJournal {

    /** One change of the ids store, in the order it happened. */
    record Change(String id, boolean added) {
    }

    private static final byte ADDED = '+';
    private static final byte REMOVED = '-';

    private final Path current;
    private final Path previous;
    private final int changesPerFile;
    private FileChannel channel;
    private int linesInCurrent;

    RecentIdsJournal(Path folder, String stage, int changesPerFile) {
        this.current = folder.resolve(stage + "-recent-ids.journal");
        this.previous = folder.resolve(stage + "-recent-ids.journal.previous");
        this.changesPerFile = changesPerFile;
    }

    /** The changes both files hold, oldest first. */
    synchronized List<Change> read() {
        List<Change> changes = new ArrayList<>();
        readInto(previous, changes);
        readInto(current, changes);
        return changes;
    }

    synchronized void added(String id) {
        append(ADDED, id);
    }

    synchronized void removed(String id) {
        append(REMOVED, id);
    }

    /** Forgets every change (the ids store was cleared). */
    synchronized void clear() {
        close();
        try {
            Files.deleteIfExists(previous);
            Files.deleteIfExists(current);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing of it is needed any more: every line was written when it was appended
            } finally {
                channel = null;
            }
        }
    }

    private void append(byte kind, String id) {
        try {
            if (channel == null) {
                open();
            } else if (linesInCurrent >= changesPerFile) {
                channel.close();
                channel = null;
                Files.move(current, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                open();
            }
            ByteBuffer buffer = ByteBuffer.wrap(((char) kind + escape(id) + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            linesInCurrent++;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    private void open() throws IOException {
        Files.createDirectories(current.getParent());
        channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        // a line a kill cut short is dropped, or the next change would be appended to it
        byte[] content = Files.readAllBytes(current);
        int end = completeLength(content);
        channel.truncate(end);
        channel.position(end);
        linesInCurrent = 0;
        for (int i = 0; i < end; i++) {
            linesInCurrent += content[i] == '\n' ? 1 : 0;
        }
    }

    private static void readInto(Path file, List<Change> changes) {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : lines(file)) {
            // a line cut short by the kill has no end of line and is not read as a change
            if (line.length() > 1 && (line.charAt(0) == ADDED || line.charAt(0) == REMOVED)) {
                changes.add(new Change(unescape(line.substring(1)), line.charAt(0) == ADDED));
            }
        }
    }

    /** The file's complete lines, without a last one cut short by a kill. */
    private static List<String> lines(Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            int end = completeLength(content);
            return end == 0 ? List.of()
                    : List.of(new String(content, 0, end - 1, StandardCharsets.UTF_8).split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many bytes of the content are complete lines: up to and with its last line break. */
    private static int completeLength(byte[] content) {
        int end = content.length;
        while (end > 0 && content[end - 1] != '\n') {
            end--;
        }
        return end;
    }

    // an id is a provider's text: a line break in it must not end its line
    private static String escape(String id) {
        return id.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String text) {
        StringBuilder id = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                id.append(next == 'n' ? '\n' : next);
            } else {
                id.append(c);
            }
        }
        return id.toString();
    }
}
