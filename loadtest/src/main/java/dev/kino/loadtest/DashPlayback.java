package dev.kino.loadtest;

import dev.kino.protocol.key.ClearKeyLicenceRequest;
import dev.kino.protocol.key.ClearKeySessionType;
import dev.kino.protocol.key.KeyId;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A DASH viewer as Shaka or dash.js plays a static MPD: the MPD, a ClearKey licence request for its
 * {@code cenc:default_KID}s when the content is encrypted (W3C EME ClearKey: {@code {"kids":[base64url…],
 * "type":"temporary"}} POSTed to the grant's licence URL), then one video and one audio representation's
 * initialization segment and media segments in time order.
 */
final class DashPlayback extends Playback {
    private MpdReader.Presentation presentation;
    private List<MpdReader.Representation> videos = List.of();
    private MpdReader.Representation videoRep;
    private MpdReader.Representation audioRep;
    private int index;
    private int audioNext;
    private boolean licenceDue;
    private boolean videoInitDue;
    private boolean audioInitDue;

    DashPlayback(Account account, KinoApi.Playable item, Settings settings) {
        super(account, item, settings);
    }

    @Override
    String manifestField() {
        return "dashUrl";
    }

    @Override
    void onManifest(String body) {
        presentation = MpdReader.read(manifestUrl, body);
        List<MpdReader.Representation> v = new ArrayList<>();
        MpdReader.Representation a = null;
        for (MpdReader.AdaptationSet as : presentation.adaptationSets()) {
            if (as.contentType().equals("video")) {
                for (MpdReader.Representation r : as.representations()) {
                    if (maxHeight == null || r.height() <= maxHeight) {
                        v.add(r);
                    }
                }
            } else if (as.contentType().equals("audio") && a == null) {
                a = as.representations().get(0);
            }
        }
        if (v.isEmpty()) {
            throw new IllegalStateException("no video representation to play in " + manifestUrl);
        }
        int keep = videoRep == null ? -1 : indexOfId(v, videoRep.id());
        videos = v;
        videoRep = v.get(keep >= 0 ? keep : ThreadLocalRandom.current().nextInt(v.size()));
        audioRep = a;
        videoInitDue = true;
        audioInitDue = a != null;
        licenceDue = !presentation.defaultKids().isEmpty();
        if (licenceDue && licenceUrl == null) {
            // dash.js and Shaka also find it in the MPD (dashif:Laurl); the grant carries it for encrypted items.
            throw new IllegalStateException("the MPD names key ids but the playback grant has no licenceUrl");
        }
        manifestDue = false;
    }

    private static int indexOfId(List<MpdReader.Representation> reps, String id) {
        for (int i = 0; i < reps.size(); i++) {
            if (reps.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** @return whether the licence is to be requested before the next segment */
    boolean licenceDue() {
        return licenceDue;
    }

    /** @return the ClearKey licence request for every default KID of the MPD */
    String licenceBody() {
        List<KeyId> kids = new ArrayList<>();
        presentation.defaultKids().forEach(k -> kids.add(KeyId.fromUuidString(k)));
        return new ClearKeyLicenceRequest(kids, ClearKeySessionType.TEMPORARY).toJson();
    }

    /** @return the licence URL */
    String licenceUrl() {
        return licenceUrl.toString();
    }

    /** Notes the licence as received. */
    void onLicence() {
        licenceDue = false;
    }

    @Override
    void advance() {
        if (finished || videoRep == null) {
            return;
        }
        if (index > 0 && videos.size() > 1 && chance(switchChance)) {
            int other = ThreadLocalRandom.current().nextInt(videos.size() - 1);
            int current = indexOfId(videos, videoRep.id());
            videoRep = videos.get(other >= current ? other + 1 : other);
            videoInitDue = true;
        }
        List<MpdReader.Segment> segs = videoRep.segments();
        if (index > 0 && chance(seekChance)) {
            index = ThreadLocalRandom.current().nextInt(segs.size());
            positionSeconds = segs.get(index).start();
            audioNext = audioRep == null ? 0 : indexAt(audioRep.segments(), positionSeconds);
        } else {
            index = indexAt(segs, positionSeconds);
        }
        if (index >= segs.size()) {
            finished = true;
            return;
        }
        if (videoInitDue && videoRep.initUrl() != null) {
            fetches.add(new Fetch("dash init segment", videoRep.initUrl(), null));
        }
        videoInitDue = false;
        if (audioInitDue && audioRep.initUrl() != null) {
            fetches.add(new Fetch("dash init segment", audioRep.initUrl(), null));
        }
        audioInitDue = false;
        MpdReader.Segment s = segs.get(index);
        fetches.add(new Fetch("dash segment", s.url(), null));
        double end = s.start() + s.duration();
        if (audioRep != null) {
            List<MpdReader.Segment> as = audioRep.segments();
            while (audioNext < as.size() && as.get(audioNext).start() < end) {
                fetches.add(new Fetch("dash segment", as.get(audioNext).url(), null));
                audioNext++;
            }
        }
        index++;
        positionSeconds = s.start();
        played(s.duration());
    }

    private static int indexAt(List<MpdReader.Segment> segs, double t) {
        for (int i = 0; i < segs.size(); i++) {
            MpdReader.Segment s = segs.get(i);
            if (s.start() + s.duration() > t + 1e-6) {
                return i;
            }
        }
        return segs.size();
    }

    @Override
    void onRenewed() {
        // New URLs: the MPD again (videoRep's id is kept), its init segments and licence.
        presentation = null;
    }
}
