"""Pages of the work queue and of the notification preferences (notifications, floor 9)."""
