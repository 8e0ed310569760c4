from apps.collaboration.models.comments import Comment, CommentRevision
from apps.collaboration.models.notes import SharedNote

__all__ = ["Comment", "CommentRevision", "SharedNote"]
