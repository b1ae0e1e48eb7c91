"""Route features carry the analytics' countries overflown and flight time, and the popup shows them."""

from __future__ import annotations

import datetime as dt

from layers import TimeSelection, build_snapshot, load_dataset
from layers.analytics.legs import Period
from layers.analytics.routes import build_route_statistics

from dashboard.webmap.popups import build_route_popup

DAY = dt.date(2024, 12, 20)


def test_route_popup_states_the_same_countries_and_time_as_the_routes_command() -> None:
    dataset = load_dataset()
    routes = build_snapshot(dataset, TimeSelection(DAY, 7)).routes
    period = Period(DAY - dt.timedelta(days=6), DAY)
    statistics = {(r.origin, r.destination): r for r in build_route_statistics(dataset, period)}
    checked = 0
    for _, route in routes.iterrows():
        figures = statistics.get((route["from_id"], route["to_id"]))
        if figures is None or figures.flights_tracked:
            continue
        assert route["countries_overflown"] == list(figures.countries_overflown), route["name"]
        checked += 1
    assert checked >= 5
    shuttle = routes[(routes["from_id"] == "hmeimim") & (routes["to_id"] == "al_khadim")].iloc[0]
    assert "Cyprus" in shuttle["countries_overflown"] and "Turkey" not in shuttle["countries_overflown"]
    popup = build_route_popup(shuttle.to_dict())
    assert "<b>Great circle crosses:</b> " + ", ".join(shuttle["countries_overflown"]) in popup
    if shuttle["est_flight_time_h"] is not None:
        assert f"<b>Estimated flight time:</b> {shuttle['est_flight_time_h']:g} h (" in popup
    moscow = routes[routes["name"].str.startswith("Moscow or Minsk")].iloc[0]
    # The direct great circle crosses airspace closed to Russian aircraft: the popup says which.
    assert {"Ukraine", "Romania", "Bulgaria", "Greece"} <= set(moscow["countries_overflown"])


def test_route_popup_flags_the_closed_airspace_the_routes_command_flags() -> None:
    dataset = load_dataset()
    routes = build_snapshot(dataset, TimeSelection(DAY, 7)).routes
    period = Period(DAY - dt.timedelta(days=6), DAY)
    statistics = {(r.origin, r.destination): r for r in build_route_statistics(dataset, period)}
    shuttle = routes[(routes["from_id"] == "hmeimim") & (routes["to_id"] == "al_khadim")].iloc[0]
    figures = statistics[("hmeimim", "al_khadim")]
    # The EU closure to Russian aircraft over Cyprus, the one the routes command flags on the great circle.
    assert [f["id"] for f in shuttle["airspace_closed"]] == [
        f["id"] for f in figures.airspace_flags if not f.get("possibly_overflown")] == ["eu_russia_2022"]
    popup = build_route_popup(shuttle.to_dict())
    closure = shuttle["airspace_closed"][0]
    assert f"<b>Closed airspace on the path:</b> {closure['name']}: Cyprus (" in popup
    assert "Closure sources:" in popup and closure["sources"][0].split(" ")[0] in popup
    # Every route popup has the closure row exactly when the route meets a closure (Damascus to
    # Benghazi crosses Israel and Lebanon, which close nothing the data records).
    fortnight = build_snapshot(dataset, TimeSelection(DAY, 14)).routes
    assert not all(fortnight["airspace_closed"].map(bool))
    for _, route in fortnight.iterrows():
        assert ("Closed airspace on the path" in build_route_popup(route.to_dict())) is bool(route["airspace_closed"])


def test_a_route_carried_by_a_count_report_gives_the_reports_whole_period() -> None:
    # The Hmeimim -> al-Khadim shuttle is one count report over 15-31 Dec 2024: as of
    # 20 Dec, the route's dates are that period, not the day the report starts.
    routes = build_snapshot(load_dataset(), TimeSelection(DAY, 7)).routes
    shuttle = routes[(routes["from_id"] == "hmeimim") & (routes["to_id"] == "al_khadim")].iloc[0]
    assert (shuttle["first_date"], shuttle["date"], shuttle["end_date"]) == ("2024-12-15", "2024-12-15", "2024-12-31")
    assert "<b>Dates:</b> 2024-12-15 to 2024-12-31<" in build_route_popup(shuttle.to_dict())
    single = routes[routes["end_date"] == routes["first_date"]]
    assert len(single) > 0  # a route of one-day records names one day
    assert all(f"<b>Dates:</b> {day}<" in build_route_popup(row.to_dict())
               for day, (_, row) in zip(single["first_date"], single.iterrows(), strict=True))
