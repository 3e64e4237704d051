"""The touring planners, free of Django: distances, the rotation planner and the caravan route
planner. The services in ``kepu.touring.services`` build their inputs from the database and turn
their results into records."""
