"""ADS-B tracks: readers of the formats analysts hold, one position table, flights and gaps.

* :mod:`layers.tracks.positions`: the position table every reader fills (columns, units);
* one reader module per family of formats (``readsb_json``, ``opensky``, ``fr24``,
  ``track_kml``), chosen from the content by :mod:`layers.tracks.detect`;
* :mod:`layers.tracks.checks`: the bad-input rules (order, duplicates, ranges, jumps);
* :mod:`layers.tracks.splitting`: flights from positions;
* :mod:`layers.tracks.gaps`: where an aircraft went dark, and where it may have landed;
* :mod:`layers.tracks.trackset`: all of that for a workspace's stored positions.
"""
