"""Clear days: calendar and working-day counting, bank holidays from the holidays library."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packbuilder.dates import clear_days_between, is_working_day, latest_publication_date
from packbuilder.model.meeting import DayCounting

CAL, WORK = DayCounting.CALENDAR, DayCounting.WORKING
D = dt.date


@pytest.mark.parametrize(
    ("earlier", "later", "calendar", "working"),
    [
        (D(2022, 5, 3), D(2022, 5, 3), 0, 0),  # same day
        (D(2022, 5, 3), D(2022, 5, 4), 0, 0),  # next day: nothing in between
        (D(2022, 5, 3), D(2022, 5, 5), 1, 1),
        (D(2022, 5, 3), D(2022, 5, 11), 7, 5),  # the reference agenda: Tue to Wed
        (D(2022, 5, 6), D(2022, 5, 9), 2, 0),  # Friday to Monday: only the weekend
        (D(2022, 4, 29), D(2022, 5, 4), 4, 1),  # the early May bank holiday (2 May)
        (D(2022, 6, 1), D(2022, 6, 6), 4, 0),  # Spring and Platinum Jubilee holidays 2-3 June
        (D(2022, 12, 23), D(2022, 12, 28), 4, 0),  # Christmas 2022: 26 and 27 substitute
        (D(2022, 5, 11), D(2022, 5, 3), 0, 0),  # backwards
    ],
)
def test_clear_days_between(earlier, later, calendar, working):
    assert clear_days_between(earlier, later, CAL) == calendar
    assert clear_days_between(earlier, later, WORK) == working


def test_bank_holidays_come_from_the_holidays_library():
    assert not is_working_day(D(2022, 6, 3)), "Platinum Jubilee bank holiday"
    assert not is_working_day(D(2022, 9, 19)), "State funeral of Queen Elizabeth II"
    assert not is_working_day(D(2022, 5, 2)), "early May bank holiday"
    assert is_working_day(D(2022, 5, 30)), "the 2022 spring bank holiday moved to 2 June"
    assert not is_working_day(D(2022, 5, 7)), "Saturday"


def test_latest_publication_dates():
    # SI 2012/2089 reg 9: 28 clear days before a key decision on Tuesday 14 June 2022.
    assert latest_publication_date(D(2022, 6, 14), 28, CAL) == D(2022, 5, 16)
    # LGA 1972 s100B: 5 clear working days before the meeting on Wednesday 11 May 2022.
    assert latest_publication_date(D(2022, 5, 11), 5, WORK) == D(2022, 5, 3)
    assert latest_publication_date(D(2022, 5, 11), 5, CAL) == D(2022, 5, 5)
    # Over the Jubilee weekend: Tue 7 June needs 5 working days: 31 May, 1, 6 June and
    # 27, 30 May (2, 3 June are holidays), so publish by Thursday 26 May.
    assert latest_publication_date(D(2022, 6, 7), 5, WORK) == D(2022, 5, 26)
    assert latest_publication_date(D(2022, 6, 7), 0, WORK) == D(2022, 6, 6)


def test_negative_clear_days_are_refused():
    with pytest.raises(ValueError):
        latest_publication_date(D(2022, 6, 7), -1, CAL)


@given(
    event=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=40),
    counting=st.sampled_from(list(DayCounting)),
)
def test_latest_publication_date_is_the_last_day_that_works(event, days, counting):
    latest = latest_publication_date(event, days, counting)
    assert clear_days_between(latest, event, counting) >= days
    assert clear_days_between(latest + dt.timedelta(days=1), event, counting) < days or (
        days == 0 and latest + dt.timedelta(days=1) == event
    )
