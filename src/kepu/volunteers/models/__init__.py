"""Volunteers from recruitment to exit: drives and applications, volunteers and their teams,
posts and training, shifts with places per post, service records, assessment, recognition and
certificates (民政部令第67号: whoever records the service certifies it).

Every operational row carries its venue as a column of its own (DESIGN.md, "Scale"). Personal
data is encrypted at rest with a keyed hash for exact lookup and a mask for the screen; hours are
kept as whole minutes, so sums never drift.
"""

from kepu.volunteers.models.base import (
    HOUR,
    Availability,
    Category,
    Drive,
    Gender,
    Language,
    PersonalData,
    VolunteerSettings,
    hours_from_minutes,
)
from kepu.volunteers.models.people import (
    ON_ROLL,
    OPEN_APPLICATION,
    SERVING,
    Application,
    ApplicationStatus,
    Course,
    CourseSession,
    Team,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from kepu.volunteers.models.service import (
    HOLDING_PLACE,
    Assessment,
    Assignment,
    AssignmentStatus,
    Certificate,
    HoursCorrection,
    Post,
    Recognition,
    Shift,
    ShiftPattern,
    ShiftPost,
    ShiftStatus,
)

__all__ = [
    "HOLDING_PLACE",
    "HOUR",
    "ON_ROLL",
    "OPEN_APPLICATION",
    "SERVING",
    "Application",
    "ApplicationStatus",
    "Assessment",
    "Assignment",
    "AssignmentStatus",
    "Availability",
    "Category",
    "Certificate",
    "Course",
    "CourseSession",
    "Drive",
    "Gender",
    "HoursCorrection",
    "Language",
    "PersonalData",
    "Post",
    "Recognition",
    "Shift",
    "ShiftPattern",
    "ShiftPost",
    "ShiftStatus",
    "Team",
    "TrainingRecord",
    "Volunteer",
    "VolunteerSettings",
    "VolunteerStatus",
    "hours_from_minutes",
]
