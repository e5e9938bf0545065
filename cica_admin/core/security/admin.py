"""Staff accounts and groups in the admin, managed within the manager's own
permissions (see ``accounts``)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from . import accounts


class AccountAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        if obj is not None and obj.pk == request.user.pk:
            # No one raises their own privileges.
            return [*fields, *accounts.PRIVILEGES]
        return [*fields, "is_superuser"]

    def has_change_permission(self, request, obj=None):
        # An account that holds more than its manager is shown, not changed (its
        # password neither): changing it would be a way to those permissions.
        return super().has_change_permission(request, obj) and (
            obj is None
            or obj.pk == request.user.pk
            or accounts.may_manage(request.user, obj)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only what the manager holds is offered, and only that is accepted.
        if db_field.name == "user_permissions":
            kwargs["queryset"] = accounts.grantable_permissions(
                request.user
            ).select_related("content_type")
        elif db_field.name == "groups":
            kwargs["queryset"] = accounts.grantable_groups(
                request.user, Group.objects.all()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RoleAdmin(GroupAdmin):
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None
            or accounts.grantable_groups(
                request.user, Group.objects.filter(pk=obj.pk)
            ).exists()
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            kwargs["queryset"] = accounts.grantable_permissions(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


for model, model_admin in [(get_user_model(), AccountAdmin), (Group, RoleAdmin)]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
