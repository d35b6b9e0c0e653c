"""Permission policy of the EGAlim measures: their five codes are fixed, so nobody adds or deletes one."""

from wagtail.permission_policies import ModelPermissionPolicy

FORBIDDEN_ACTIONS = {"add", "delete"}


class FixedMeasuresPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in FORBIDDEN_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in FORBIDDEN_ACTIONS]
        if not allowed:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(allowed)
